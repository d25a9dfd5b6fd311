"""``newsarchive crawl … --resume JOB_DIR``: what is refused, and what a resume does with the files it finds.

Each job folder here comes from a real crawl of a test server; the aftermath
of a kill is then made by hand where a kill cannot be aimed (a record cut in
the middle of its write, a line cut in two, a crawl that never recorded its
end), and the resume runs for real in a child process. The test server's log
says what was fetched again. The kill itself is in test_faults_resume.py.
"""

from __future__ import annotations

import gzip
import json
import subprocess
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from faultkit import LOCAL, command, job_dir, jsonl, newsarchive, raw_lines, warc_records
from hostile import hostile_server, page, respond, robots

from crawler.domain.jobstate import job_lock

PAGES = ["/a.html", "/b.html", "/c.html"]
ROUTES = {"/robots.txt": robots("User-agent: *\nAllow: /\n"),
          **{path: respond(page(path.strip("/.html"), "Words of the page. " * 50)) for path in PAGES}}


def _settings() -> list[str]:
    return [argument for name, value in LOCAL.items() for argument in ("-s", f"{name}={value}")]


def _crawl(urls: list[str], out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return newsarchive("crawl", "urls", "-a", "urls=" + ",".join(urls), "--out", str(out), *_settings(), *extra)


def _resume(job: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return newsarchive("crawl", "urls", "--resume", str(job), *extra)


def _as_if_killed(job: Path) -> None:
    """What a crawl killed before it could record its end leaves in its manifest."""
    manifest = json.loads((job / "job.json").read_text())
    (job / "job.json").write_text(json.dumps({**manifest, "status": "running", "ended_at": None}))


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def site():
    with hostile_server(ROUTES) as server:
        yield server


@pytest.fixture
def finished_job(site, tmp_path) -> Path:
    done = _crawl([site.url + path for path in PAGES], tmp_path / "out")
    assert done.returncode == 0, done.stderr[-3000:]
    return job_dir(tmp_path / "out")


def _refused(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.stdout[-2000:], done.stderr[-3000:])
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("newsarchive crawl: error: --resume: ")
    return line


@pytest.mark.parametrize(("case", "says"), [
    ("finished", "there is nothing to resume"),
    ("not a job", "is not the job folder of a crawl"),
    ("no folder", "is not a folder"),
    ("other spider", "is a crawl of spider urls, not topwar"),
    ("other arguments", "give the same, or none"),
    ("other archive", "is not in --out"),
])
def test_a_job_that_cannot_be_resumed_is_refused_in_one_line_and_left_as_it_is(finished_job, site, tmp_path, case,
                                                                                 says):
    job = finished_job
    if case != "finished":
        _as_if_killed(job)
    before, requested = _files(tmp_path), len(site.requested)
    arguments = {
        "finished": ["crawl", "urls", "--resume", str(job)],
        "not a job": ["crawl", "urls", "--resume", str(tmp_path)],
        "no folder": ["crawl", "urls", "--resume", str(tmp_path / "nowhere")],
        "other spider": ["crawl", "topwar", "--resume", str(job)],
        "other arguments": ["crawl", "urls", "-a", f"urls={site.url}/a.html", "--resume", str(job)],
        "other archive": ["crawl", "urls", "--resume", str(job), "--out", str(tmp_path / "elsewhere")],
    }[case]
    assert says in _refused(newsarchive(*arguments))
    assert _files(tmp_path) == before, "nothing written"
    assert len(site.requested) == requested, "nothing fetched"


def test_a_job_whose_crawl_still_runs_is_not_touched(finished_job, tmp_path):
    _as_if_killed(finished_job)
    before = _files(tmp_path)
    lock = job_lock(finished_job)
    assert lock.try_acquire()
    try:
        done = _resume(finished_job)
    finally:
        lock.release()
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert "a crawl is running in" in line and "Traceback" not in done.stderr
    assert _files(tmp_path) == before


def test_a_resume_cuts_off_what_the_kill_left_half_written_and_fetches_nothing_it_has(finished_job, site):
    job = finished_job
    lines = raw_lines(job / "items.jsonl")
    (warc,) = job.glob("*.warc.gz")
    whole = warc.read_bytes()
    # The kill: the WARC file never closed, a record half-written, the last line half-written and one not at all.
    member = gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 5000\r\n\r\n" + b"x" * 5000)
    torn = member[: len(member) // 2]
    unfinished = warc.with_name(warc.name + ".open")
    unfinished.write_bytes(whole + torn)
    warc.unlink()
    (job / "items.jsonl").write_bytes(b"".join(lines[:1]) + lines[1][:40])
    _as_if_killed(job)
    asked = len(site.requested)

    done = _resume(job)

    assert done.returncode == 0, done.stderr[-3000:]
    assert site.requested[asked:] == [], "every page was in the job's WARC file: none fetched again"
    assert warc.read_bytes() == whole, "closed out as it was before the torn record"
    tail = job / f"{warc.name}.tail-at-{len(whole)}"
    assert tail.read_bytes() == torn, "the torn record, cut off into a file of its own"
    said = done.stdout
    assert f"{unfinished.name}: incomplete from offset {len(whole):,}" in said and tail.name in said
    assert "items.jsonl: 1 whole lines; the last line was cut off at offset" in said
    got = jsonl(job / "items.jsonl")
    assert sorted(line["url"] for line in got) == sorted(site.url + path for path in PAGES)
    assert {line["title"] for line in got} == {"The a page", "The b page", "The c page"}
    check = subprocess.run(command("warc", "check", str(job)), capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    manifest = json.loads((job / "job.json").read_text())
    assert manifest["status"] == "finished" and len(manifest["resumes"]) == 1


def test_a_revisit_of_a_page_archived_by_an_earlier_crawl_is_answered_from_that_crawl(finished_job, site):
    out = finished_job.parent
    second = _crawl([site.url + path for path in PAGES], out)
    assert second.returncode == 0, second.stderr[-3000:]
    (job,) = [p for p in out.iterdir() if p.is_dir() and p != finished_job]
    (job / "items.jsonl").write_bytes(b"")  # killed before any line was written
    _as_if_killed(job)
    asked = len(site.requested)
    done = _resume(job)
    assert done.returncode == 0, done.stderr[-3000:]
    assert site.requested[asked:] == [], "the revisits' payloads are read from the earlier crawl's WARC file"
    assert sorted(line["title"] for line in jsonl(job / "items.jsonl")) == ["The a page", "The b page", "The c page"]


def test_a_record_lost_with_the_tail_is_forgotten_by_the_dedup_index_and_archived_again_in_full(finished_job, site):
    job = finished_job
    (warc,) = job.glob("*.warc.gz")
    last = [r for r in warc_records(job) if r.type == "response"][-1]
    offset = _offset_of(warc, last.headers["WARC-Record-ID"])
    # A power cut: the file lost the end of its last record, though the dedup index had learnt its payload.
    unfinished = warc.with_name(warc.name + ".open")
    unfinished.write_bytes(warc.read_bytes()[: offset + 40])
    warc.unlink()
    kept = [line for line in raw_lines(job / "items.jsonl") if json.loads(line)["url"] != last.uri]
    (job / "items.jsonl").write_bytes(b"".join(kept))
    _as_if_killed(job)
    asked = len(site.requested)

    done = _resume(job)

    assert done.returncode == 0, done.stderr[-3000:]
    assert "payload digests of records in it forgotten" in done.stdout
    assert [path for path in site.requested[asked:] if path != "/robots.txt"] == [last.uri.removeprefix(site.url)]
    again = [r for r in warc_records(job, "*.warc.gz") if r.uri == last.uri and r.type in ("response", "revisit")]
    assert [r.type for r in again] == ["response"], "archived in full: nothing left to refer to"
    assert again[0].payload == last.payload


def _offset_of(warc: Path, record_id: str) -> int:
    with warc.open("rb") as fh:
        iterator = ArchiveIterator(fh)
        for record in iterator:
            if record.rec_headers.get_header("WARC-Record-ID") == record_id:
                return iterator.get_record_offset()
    raise AssertionError(f"{record_id} not in {warc}")

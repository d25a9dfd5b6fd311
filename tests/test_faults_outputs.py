"""No command overwrites its own input: outputs are checked against the inputs before any work.

One small real crawl (module fixture) gives a job folder with a WARC file
and ``items.jsonl``; each test points a command's output at an input in one
way and checks the input is byte for byte what it was, the refusal is one
line on stderr, and the exit status is 2. ``newsarchive export`` reads a whole
archive folder (hand-written job folders and a real watch state database):
nothing inside it may be written, and an interrupted export leaves its
previous output as it was.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.domain.outputs import atomic_output
from crawler.watch.state import STATE_FILENAME, WatchState
from faultkit import REPO, command, crawl_args, job_dir, jsonl, newsarchive
from hostile import hostile_server, page, respond, robots


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A job folder of three articles, crawled for real."""
    out = tmp_path_factory.mktemp("crawled")
    routes = {"/robots.txt": robots("User-agent: *\nAllow: /\n"),
              **{f"/a{n}.html": respond(page(f"a{n}", "Text. " * 50)) for n in range(3)}}
    with hostile_server(routes) as server:
        done = newsarchive(*crawl_args([f"{server.url}/a{n}.html" for n in range(3)], out))
    assert done.returncode == 0, done.stderr[-3000:]
    return job_dir(out)


@pytest.fixture
def job(crawled: Path, tmp_path: Path) -> Path:
    """A copy of the crawled job folder for one test to point commands at."""
    return Path(shutil.copytree(crawled, tmp_path / "job"))


def _warc(job: Path) -> Path:
    (warc,) = job.glob("*.warc.gz")
    return warc


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _refused(done, command: str) -> str:  # noqa: ANN001
    assert done.returncode == 2, (done.stdout, done.stderr)
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"newsarchive {command}: error: ")
    assert "Traceback" not in done.stderr
    return line


@pytest.mark.parametrize(("given", "output"), [
    ("{warc}", "{warc}"),                       # the input file itself
    ("{warc}", "{job}/sub/../{warc_name}"),     # the same, spelled otherwise
    ("{job}", "{job}/{warc_name}"),             # a file of the input folder
    ("{job}", "{job}/new.warc.gz"),             # a new file the folder's scan would read as input
    ("{job}", "{job}/sub/../new.warc"),
])
def test_reprocess_refuses_an_output_that_is_or_would_be_an_input(job, given, output):
    warc = _warc(job)
    names = {"warc": warc, "job": job, "warc_name": warc.name}
    before = _snapshot(job)
    done = newsarchive("reprocess", given.format(**names), "-o", output.format(**names))
    line = _refused(done, "reprocess")
    assert "input" in line
    assert _snapshot(job) == before


def test_reprocess_refuses_its_cdxj_index_as_output(job, tmp_path):
    index = tmp_path / "index.cdxj"
    assert newsarchive("warc", "index", str(job), "-o", str(index)).returncode == 0
    before = index.read_bytes()
    done = newsarchive("reprocess", str(job), "--cdxj", str(index), "-o", str(index))
    _refused(done, "reprocess")
    assert index.read_bytes() == before


def test_reprocess_may_write_json_lines_beside_its_input(job):
    before = _warc(job).read_bytes()
    done = newsarchive("reprocess", str(job), "-o", str(job / "reprocessed.jsonl"))
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(jsonl(job / "reprocessed.jsonl")) == 3
    assert _warc(job).read_bytes() == before


@pytest.mark.parametrize("output", ["{warc}", "{job}/{warc_name}"])
def test_warc_index_refuses_to_write_over_its_input(job, output):
    warc = _warc(job)
    before = _snapshot(job)
    done = newsarchive("warc", "index", str(warc), "-o", output.format(warc=warc, job=job, warc_name=warc.name))
    _refused(done, "warc index")
    assert _snapshot(job) == before


@pytest.mark.parametrize("output", [[], ["-o", "-"]])
def test_warc_index_goes_to_standard_output_by_default_or_for_a_dash(job, output):
    done = newsarchive("warc", "index", str(job), *output, cwd=job)
    assert done.returncode == 0, done.stderr
    assert len([line for line in done.stdout.splitlines() if '"status": "200"' in line]) == 4
    assert not (job / "-").exists()


def test_warc_index_beside_its_input_is_written_and_not_read_back(job):
    index = job / "index.cdxj"
    for _ in range(2):  # the second run finds the first one's index in the folder
        done = newsarchive("warc", "index", str(job), "-o", str(index))
        assert done.returncode == 0, done.stderr
        lines = index.read_text().splitlines()
        assert len([line for line in lines if '"status": "200"' in line]) == 4  # robots.txt and three pages
    assert [p.name for p in job.iterdir() if p.name.startswith(".")] == [], "no temporary file left"


@pytest.mark.parametrize("interruption", [KeyboardInterrupt(), OSError(28, "No space left on device")])
def test_an_output_written_halfway_leaves_the_previous_one(tmp_path, interruption):
    output = tmp_path / "out.jsonl"
    output.write_text("the previous run's lines\n")
    with pytest.raises(type(interruption)), atomic_output(output) as fh:
        fh.write(b"half of the new")
        raise interruption
    assert output.read_text() == "the previous run's lines\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_an_output_written_whole_replaces_the_previous_one(tmp_path):
    output = tmp_path / "out.jsonl"
    output.write_text("the previous run's lines\n")
    with atomic_output(output) as fh:
        fh.write(b"new\n")
        assert output.read_text() == "the previous run's lines\n", "not before the end"
    assert output.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


# --- newsarchive export: its input is a whole archive folder (job folders and the watch's state database) ---

EXPORT_PREVIOUS = "the previous export's lines\n"
JOBS = {"2026-11-20-0900-topwar": "2026-11-20T09:00:05+00:00", "2026-11-20-1000-topwar": "2026-11-20T10:00:05+00:00"}


def _line(when: str) -> str:
    return json.dumps({"id": "en.topwar.ru:249502", "url": "http://en.topwar.ru/249502-a.html", "site": "en.topwar.ru",
                       "title": "A story", "fetched_at": when, "comments": [], "warnings": [], "sources": []}) + "\n"


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[Path]:
    """An archive of two job folders with a hand-written line each, and the watch's real state database, held open
    (WAL mode: its -wal and -shm files are there as while a scheduler runs)."""
    archive = tmp_path / "archive"
    for name, when in JOBS.items():
        (archive / name).mkdir(parents=True)
        (archive / name / "items.jsonl").write_text(_line(when), encoding="utf-8")
    state = WatchState(archive)
    state.db.execute("INSERT INTO meta VALUES ('written', 'by the test')")
    assert {p.name for p in archive.iterdir()} >= {STATE_FILENAME, f"{STATE_FILENAME}-wal", f"{STATE_FILENAME}-shm"}
    yield archive
    state.close()


@pytest.mark.parametrize("output", [
    f"{{archive}}/{STATE_FILENAME}",                                   # the watch's state database
    f"{{archive}}/{STATE_FILENAME}-wal",                               # its write-ahead log
    f"{{archive}}/{STATE_FILENAME}-shm",
    "{archive}/2026-11-20-0900-topwar/items.jsonl",                    # a job folder's lines
    "{archive}/2026-11-20-1000-topwar/../2026-11-20-0900-topwar/items.jsonl",  # the same, spelled otherwise
    "{archive}/dump.jsonl",                                            # a new file beside the job folders
    "{archive}/2026-11-21-0900-topwar/items.jsonl",                    # a job folder yet to come
    f"{{link}}/{STATE_FILENAME}",                                      # through a symbolic link to the archive
    "{hardlink}",                                                      # a job folder's lines under another name
    "{archive}",                                                       # the archive folder itself
])
def test_export_refuses_an_output_in_its_archive_before_writing_anything(watched, tmp_path, output):
    (tmp_path / "link").symlink_to(watched)
    os.link(watched / "2026-11-20-1000-topwar" / "items.jsonl", tmp_path / "hardlink.jsonl")
    before, beside = _snapshot(watched), sorted(p.name for p in tmp_path.iterdir())
    done = newsarchive("export", str(watched), "-o", output.format(archive=watched, link=tmp_path / "link",
                                                                   hardlink=tmp_path / "hardlink.jsonl"), "--latest")
    line = _refused(done, "export")
    assert "cannot write" in line and ("inside the archive folder" in line or "one of the inputs" in line), line
    assert _snapshot(watched) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == beside, "no temporary file left"


def test_export_replaces_its_previous_output_whole(watched, tmp_path):
    output = tmp_path / "dump.jsonl"
    output.write_text(EXPORT_PREVIOUS)
    done = newsarchive("export", str(watched), "-o", str(output))
    assert done.returncode == 0, done.stderr
    assert [line["fetched_at"] for line in jsonl(output)] == list(JOBS.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive", "dump.jsonl"]


@pytest.mark.parametrize(("interruption", "status", "said"), [
    ("ctrl-c", 130, "interrupted by SIGINT (Ctrl-C)"),
    ("sigterm", 143, "interrupted by SIGTERM"),
])
@pytest.mark.parametrize("latest", [False, True])
def test_an_interrupted_export_leaves_the_previous_output_and_no_partial_file(watched, tmp_path, interruption,
                                                                             status, said, latest):
    # The second job folder's lines come through a pipe the test holds open: the export is caught in the middle
    # of its run (its temporary output open, one folder read), where the signal is sent.
    late = watched / "2026-11-20-1000-topwar" / "items.jsonl"
    late.unlink()
    os.mkfifo(late)
    out = tmp_path / "out"
    out.mkdir()
    output = out / "dump.jsonl"
    output.write_text(EXPORT_PREVIOUS)
    before = _snapshot(watched)
    run = subprocess.Popen(command("export", str(watched), "-o", str(output), *(["--latest"] if latest else [])),
                           cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           start_new_session=True)
    writer = _open_when_read(late, run)
    try:
        os.write(writer, _line(JOBS["2026-11-20-1000-topwar"]).encode())
        assert [p.name for p in out.iterdir() if p.name.endswith(".part")], "the export is under way"
        if interruption == "ctrl-c":
            os.killpg(run.pid, signal.SIGINT)
        else:
            os.kill(run.pid, signal.SIGTERM)
        stdout, stderr = run.communicate(timeout=60)
    finally:
        os.close(writer)
    assert run.returncode == status, (stdout, stderr)
    assert stderr.splitlines() == [f"newsarchive export: {said}: nothing written, {output} left as it was"]
    assert stdout == ""
    assert output.read_text() == EXPORT_PREVIOUS
    assert [p.name for p in out.iterdir()] == ["dump.jsonl"], "no partial file left"
    assert _snapshot(watched) == before


def _open_when_read(fifo: Path, run: subprocess.Popen) -> int:
    """The writing end of *fifo*, once the process *run* opened it to read (it failing first fails the test)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as e:
            if e.errno != errno.ENXIO:  # ENXIO: nobody reads it yet
                raise
        assert run.poll() is None, run.communicate()
        assert time.monotonic() < deadline, "the export never read its second job folder"
        time.sleep(0.01)  # waiting for the reader, not timing it

"""No command overwrites its own input: outputs are checked against the inputs before any work.

One small real crawl (module fixture) gives a job folder with a WARC file
and ``items.jsonl``; each test points a command's output at an input in one
way and checks the input is byte for byte what it was, the refusal is one
line on stderr, and the exit status is 2.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crawler.domain.outputs import atomic_output
from faultkit import crawl_args, job_dir, jsonl, newsarchive
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

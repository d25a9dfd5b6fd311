"""A scheduler stopped mid-run: cleanly by SIGTERM, or killed by SIGKILL and started again; and job locks.

The job crawls the replica's first 40 listed stories one request at a time
with a short delay, so a run lasts long enough to be stopped in the middle: the
tests wait for its first lines, then stop the scheduler. Of the 40, the blog
post is refused by robots.txt, so a complete run gives 39 article lines.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import ReplicaServer
from crawler.watch.locks import JobLock
from crawler.watch.state import WatchState

REPO = Path(__file__).resolve().parent.parent
WAIT_SECONDS = 120.0
PLAN = """
[jobs.slow]
spider = "topwar"
cron = "0 0 1 1 *"
output = "{archive}"
args = {{ start_urls = "{url}", max_articles = 40 }}
settings = {{ AUTOTHROTTLE_ENABLED = false, DOWNLOAD_DELAY = 0.05, RANDOMIZE_DOWNLOAD_DELAY = false, CONCURRENT_REQUESTS_PER_DOMAIN = 1 }}
revisit = {{ ages = ["1h", "1d"] }}
"""
ARTICLES = 39


@pytest.fixture
def plan(tmp_path: Path, own_replica: ReplicaServer) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(PLAN.format(archive=tmp_path / "archive", url=own_replica.url), encoding="utf-8")
    return path


def scheduler(plan: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as stream:
        return subprocess.Popen([sys.executable, "-m", "crawler", "watch", "run", str(plan)], cwd=REPO,
                                stdout=stream, stderr=stream)


def wait_for(condition, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def lines_written(archive: Path) -> int:
    return sum(len(p.read_bytes().splitlines()) for p in archive.glob("*/items.jsonl"))


def whole_lines(path: Path) -> list[dict]:
    data = path.read_bytes()
    assert data == b"" or data.endswith(b"\n"), f"{path} ends in a cut line"
    return [json.loads(line) for line in data.splitlines()]


@pytest.fixture
def stopping() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


pytestmark = pytest.mark.slow


def test_sigterm_stops_the_run_cleanly_and_marks_it_interrupted(plan, tmp_path, stopping):
    archive = tmp_path / "archive"
    process = scheduler(plan, tmp_path / "scheduler.log")
    stopping.append(process)
    wait_for(lambda: lines_written(archive) >= 3, "the first lines")
    process.send_signal(signal.SIGTERM)
    assert process.wait(WAIT_SECONDS) == 0, (tmp_path / "scheduler.log").read_text()
    (run,) = WatchState(archive).runs("slow")
    assert (run.status, run.attempt) == ("interrupted", 1)
    job_dir = archive / run.job_dir
    manifest = json.loads((job_dir / "watch-run.json").read_text())
    assert manifest["status"] == "interrupted"
    assert "interrupted before the crawl finished: retried on the next start" in manifest["warnings"]
    assert json.loads((job_dir / "stats.json").read_text())["finish_reason"] == "shutdown"
    assert not list(job_dir.glob("*.open")), "the WARC files were closed"
    assert list(job_dir.glob("*.warc.gz"))
    assert 3 <= len(whole_lines(job_dir / "items.jsonl")) < ARTICLES
    assert "SIGTERM received: stopping the runs under way cleanly" in (tmp_path / "scheduler.log").read_text()


def children_of(pid: int) -> list[int]:
    """The processes whose parent is *pid* (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


# "scheduler": the scheduler is killed, its crawl stops cleanly on its own (SIGHUP); "power": both are killed
# at once, as by a power cut, and the crawl's open WARC and lines are left as they were.
@pytest.mark.parametrize("cut", ["scheduler", "power"])
def test_sigkill_mid_run_then_a_restart_loses_and_duplicates_nothing(plan, tmp_path, stopping, cut):
    archive = tmp_path / "archive"
    log = tmp_path / "scheduler.log"
    first = scheduler(plan, log)
    stopping.append(first)
    wait_for(lambda: lines_written(archive) >= 3, "the first lines")
    crawls = children_of(first.pid)
    assert len(crawls) == 1, "one crawl under way"
    first.kill()
    if cut == "power":
        os.kill(crawls[0], signal.SIGKILL)
    first.wait()
    second = scheduler(plan, log)
    stopping.append(second)
    wait_for(lambda: "run 2 of slow (slot" in log.read_text() and " finished in " in log.read_text().split(
        "run 2 of slow (slot", 1)[-1], "the retried run to finish")
    second.send_signal(signal.SIGTERM)
    assert second.wait(WAIT_SECONDS) == 0
    runs = WatchState(archive).runs("slow")
    assert [(run.id, run.attempt, run.status) for run in runs] == [(1, 1, "interrupted"), (2, 2, "finished")]
    assert runs[0].slot == runs[1].slot, "the retry is for the same slot, and no other run was made"
    assert runs[0].job_dir == runs[1].job_dir, "the retry resumed the interrupted crawl in its job folder"
    job_dir = archive / runs[0].job_dir
    lines = whole_lines(job_dir / "items.jsonl")
    ids = [line["id"] for line in lines]
    assert len(ids) == len(set(ids)) == ARTICLES, "each article exactly once across the two attempts"
    assert runs[0].counts["lines"] + runs[1].counts["lines"] == ARTICLES, "each attempt counted its own lines"
    fetched = Counter(uri for path in job_dir.glob("*.warc.gz") for uri in response_uris(path))
    again = {uri: n for uri, n in fetched.items() if n > 1}
    # One request at a time: what was in flight when the crawl was killed (its WARC record cut off, or not
    # yet written) is all that may be fetched twice.
    assert len(again) <= 1, again
    assert not list(job_dir.glob("*.open"))
    manifest = json.loads((job_dir / "watch-run.json").read_text())
    assert (manifest["run"], manifest["resumed"], manifest["status"]) == (2, True, "finished")
    assert json.loads((job_dir / "watch-run-of-run-1.json").read_text())["status"] == "interrupted"
    done = subprocess.run([sys.executable, "-m", "crawler", "export", str(archive), "-o", str(tmp_path / "x.jsonl")],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    exported = [json.loads(line)["id"] for line in (tmp_path / "x.jsonl").read_text().splitlines()]
    assert sorted(exported) == sorted(ids)
    assert "recovered: run 1 of slow" in log.read_text()
    assert "run 2 of slow resumes the crawl of run 1" in log.read_text()


def response_uris(path: Path) -> list[str]:
    with path.open("rb") as stream:
        return [record.rec_headers.get_header("WARC-Target-URI") for record in ArchiveIterator(stream)
                if record.rec_type in ("response", "revisit")]


def test_a_job_runs_once_at_a_time(plan, tmp_path):
    lock = JobLock(tmp_path / "archive", "slow")
    assert lock.try_acquire()
    try:
        assert not JobLock(tmp_path / "archive", "slow").try_acquire(), "a second holder is refused"
        done = subprocess.run([sys.executable, "-m", "crawler", "watch", "once", str(plan), "slow"],
                              capture_output=True, text=True, cwd=REPO, timeout=WAIT_SECONDS)
    finally:
        lock.release()
    assert done.returncode == 1
    assert "job slow is running elsewhere" in done.stderr
    assert WatchState(tmp_path / "archive").runs("slow") == [], "nothing was started"
    assert os.path.exists(lock.path)

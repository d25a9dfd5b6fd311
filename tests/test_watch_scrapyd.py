"""The scrapyd backend against a real scrapyd on 127.0.0.1: deploy, schedule, read back, cancel.

scrapyd runs from this venv (the ``test`` extra installs scrapyd and
scrapyd-client) with its config, eggs, logs and databases in the test's
temporary folder. Its crawls write into the same archive layout and state as
local ones: a local run after a scrapyd run knows what the scrapyd run captured.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ReplicaServer
from crawler.watch.state import WatchState

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
WAIT_SECONDS = 120.0
PLAN = """
[jobs.news]
spider = "topwar"
cron = "0 0 1 1 *"
output = "{archive}"
args = {{ start_urls = "{url}", max_articles = {articles} }}
settings = {{ AUTOTHROTTLE_ENABLED = false, DOWNLOAD_DELAY = {delay}, RANDOMIZE_DOWNLOAD_DELAY = false }}
revisit = {{ ages = ["1h", "1d"] }}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("scrapyd")
    port = free_port()
    (folder / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {folder}/eggs\n"
        f"logs_dir = {folder}/logs\nitems_dir =\ndbs_dir = {folder}/dbs\npoll_interval = 0.2\nmax_proc = 2\n",
        encoding="utf-8")
    with (folder / "scrapyd.log").open("wb") as log:
        process = subprocess.Popen([str(Path(sys.executable).parent / "scrapyd")], cwd=folder, stdout=log,
                                   stderr=subprocess.STDOUT)
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None, (folder / "scrapyd.log").read_text()
            assert time.monotonic() < deadline, "scrapyd did not open its port"
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(WAIT_SECONDS)


def write_plan(tmp_path: Path, replica: ReplicaServer, articles: int, delay: float) -> Path:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN.format(archive=tmp_path / "archive", url=replica.url, articles=articles, delay=delay),
                    encoding="utf-8")
    return plan


def watch(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", "watch", *arguments], capture_output=True, text=True,
                          cwd=REPO, timeout=WAIT_SECONDS)


def test_a_run_on_scrapyd_lands_in_the_archive_and_state_like_a_local_one(scrapyd, own_replica, tmp_path):
    plan = write_plan(tmp_path, own_replica, articles=5, delay=0)
    on_scrapyd = watch("once", str(plan), "news", "--scrapyd", scrapyd)
    assert on_scrapyd.returncode == 0, on_scrapyd.stdout + on_scrapyd.stderr
    assert "deployed newsarchive version" in on_scrapyd.stderr
    state = WatchState(tmp_path / "archive")
    (run,) = state.runs("news")
    assert (run.backend, run.status) == ("scrapyd", "finished")
    assert run.backend_ref.startswith(run.job_dir), "the scrapyd job is named after the job folder"
    job_dir = tmp_path / "archive" / run.job_dir
    lines = [json.loads(line) for line in (job_dir / "items.jsonl").read_text().splitlines()]
    assert len(lines) == 5
    assert list(job_dir.glob("*.warc.gz")) and (job_dir / "stats.json").exists()
    assert json.loads((job_dir / "watch-run.json").read_text())["counts"]["new_articles"] == 5
    locally = watch("once", str(plan), "news")
    assert locally.returncode == 0, locally.stdout + locally.stderr
    second = state.runs("news")[-1]
    assert second.backend == "local"
    again = [json.loads(line)["id"] for line in
             (tmp_path / "archive" / second.job_dir / "items.jsonl").read_text().splitlines()]
    assert not {line["id"] for line in lines} & set(again), "what the scrapyd run captured is known"
    assert second.counts["listed_known"] == 5


def test_sigterm_cancels_the_scrapyd_job_and_marks_the_run_interrupted(scrapyd, own_replica, tmp_path):
    plan = write_plan(tmp_path, own_replica, articles=40, delay=0.1)
    log = tmp_path / "scheduler.log"
    with log.open("wb") as stream:
        scheduler = subprocess.Popen([sys.executable, "-m", "crawler", "watch", "run", str(plan), "--scrapyd",
                                      scrapyd], cwd=REPO, stdout=stream, stderr=stream)
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while not any(p.stat().st_size for p in (tmp_path / "archive").glob("*/items.jsonl")):
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        scheduler.send_signal(signal.SIGTERM)
        assert scheduler.wait(WAIT_SECONDS) == 0, log.read_text()
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
    (run,) = WatchState(tmp_path / "archive").runs("news")
    assert (run.backend, run.status) == ("scrapyd", "interrupted")
    stats = json.loads((tmp_path / "archive" / run.job_dir / "stats.json").read_text())
    assert stats["finish_reason"] == "shutdown", "scrapyd's cancel.json stopped the crawl gracefully"


def test_an_unreachable_scrapyd_is_one_line_and_exit_status_1(own_replica, tmp_path):
    plan = write_plan(tmp_path, own_replica, articles=5, delay=0)
    done = watch("once", str(plan), "news", "--scrapyd", f"http://127.0.0.1:{free_port()}")
    assert done.returncode == 1
    assert done.stderr.startswith("newsarchive watch: http://127.0.0.1:") and done.stderr.count("\n") == 1
    assert not (tmp_path / "archive").exists(), "nothing was started"

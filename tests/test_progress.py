"""A live crawl's progress: a redrawn status line on a terminal, log lines otherwise, nothing with --quiet.

The crawls run as a user runs them (``newsarchive demo``/``crawl`` in a
subprocess); the terminal is a real pseudo-terminal. Each crawl also writes
``fetch-times.jsonl`` (each page's download time), which the report reads.
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ReplicaServer
from crawler.components.progress import Snapshot

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("now", "since", "line"), [
    (Snapshot(120, 80, 1204, 0, 4.0), None, "pages 120 (30.0/s), articles 80, comments 1204, errors 0, 4 s"),
    (Snapshot(300, 200, 4000, 2, 10.0), Snapshot(100, 60, 1000, 0, 6.0),
     "pages 300 (50.0/s), articles 200, comments 4000, errors 2, 10 s"),
    (Snapshot(0, 0, 0, 0, 0.0), None, "pages 0 (0.0/s), articles 0, comments 0, errors 0, 0 s"),
])
def test_the_progress_line(now: Snapshot, since: Snapshot | None, line: str) -> None:
    assert now.line(since) == line


@pytest.mark.parametrize(("stats", "errors"), [
    ({"log_count/ERROR": 2, "spider_exceptions/count": 1}, 3),
    # A request refused by robots.txt is counted among download exceptions by Scrapy: no error.
    ({"downloader/exception_count": 3, "robotstxt/forbidden": 1}, 2),
])
def test_errors_are_what_the_summary_calls_errors(stats: dict, errors: int) -> None:
    assert Snapshot.of(stats, 1.0).errors == errors


def _summary_count(summary: str, name: str) -> int:
    found = re.search(rf"^  {name}: +(\d+)", summary, re.MULTILINE)
    assert found is not None, summary
    return int(found.group(1))


def _crawl_args(replica: ReplicaServer, out: Path) -> list[str]:
    return [sys.executable, "-m", "crawler", "crawl", "topwar", "-a", f"start_urls={replica.url}", "-a",
            "max_articles=40", "--out", str(out), "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]


@pytest.mark.slow
def test_not_on_a_terminal_progress_is_logged_instead_of_scrapys_stats_line(replica: ReplicaServer,
                                                                          tmp_path: Path) -> None:
    done = subprocess.run([*_crawl_args(replica, tmp_path), "-s", "PROGRESS_LOG_INTERVAL=0.05"], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    progress = re.findall(r"\[crawler\.components\.progress\] INFO: progress: (.*)", done.stderr)
    assert progress and progress[-1].startswith("finished: pages ")
    articles = _summary_count(done.stdout, "articles")
    assert re.fullmatch(rf"finished: pages \d+ \(\d+\.\d/s\), articles {articles}, comments \d+, errors 0, \d+ s",
                        progress[-1])
    assert "Crawled " not in done.stderr and "pages/min" not in done.stderr  # Scrapy's LogStats is off


@pytest.mark.slow
def test_quiet_shows_errors_only_and_the_summary(replica: ReplicaServer, tmp_path: Path) -> None:
    done = subprocess.run([*_crawl_args(replica, tmp_path), "--quiet"], cwd=REPO, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0
    assert done.stderr == "" and done.stdout.startswith("newsarchive: crawl finished in ")
    (job,) = [path for path in tmp_path.iterdir() if path.is_dir()]
    times = [json.loads(line) for line in (job / "fetch-times.jsonl").read_text().splitlines()]
    assert [row["url"] for row in times][:2] == [replica.url + "robots.txt", replica.url]
    assert all(row["seconds"] > 0 and row["status"] in (200, 404, 503) for row in times)


@pytest.mark.slow
def test_log_level_is_scrapys(replica: ReplicaServer, tmp_path: Path) -> None:
    done = subprocess.run([*_crawl_args(replica, tmp_path), "--log-level", "debug"], cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0 and "DEBUG: Crawled (200)" in done.stderr
    bad = subprocess.run([*_crawl_args(replica, tmp_path), "--log-level", "loud"], cwd=REPO, capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "invalid choice: 'LOUD'" in bad.stderr


@pytest.mark.slow
def test_on_a_terminal_a_status_line_is_redrawn(replica: ReplicaServer, tmp_path: Path) -> None:
    controller, terminal = pty.openpty()
    process = subprocess.Popen(_crawl_args(replica, tmp_path), cwd=REPO, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=terminal, env={**os.environ, "COLUMNS": "150"})
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the crawl closed its end of the terminal
            break
        if not chunk:
            break
        shown += chunk
    stdout, _ = process.communicate(timeout=300)
    os.close(controller)
    assert process.returncode == 0
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.decode("utf-8", "replace"))
    articles = _summary_count(stdout.decode(), "articles")
    assert re.search(rf"crawled pages \d+ \(\d+\.\d/s\), articles {articles}, comments \d+, errors 0, \d+ s", text), \
        text[-2000:]
    assert " INFO: " not in text  # on a terminal the log shows warnings and errors only, above the line
    assert stdout.decode().startswith("newsarchive: crawl finished in ")

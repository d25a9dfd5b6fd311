"""A worker killed mid-crawl (SIGKILL) loses nothing: its in-flight requests go back to the queue and the others
finish the crawl.

Two ways a worker dies: one that joined from "another machine" (``newsarchive worker``) is noticed by the other
workers when its lease expires; one the coordinator started is noticed by the coordinator the moment the process
ends. In both, the victim is frozen (SIGSTOP) while it holds leases, its leased requests are read from Redis,
and it is killed. The crawl must then come out complete — the articles and comments of a single-process crawl
of the same replica — with only the victim's in-flight pages fetched a second time.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
import redis

from crawler.distributed.crawljob import OPEN_CRAWLS, CrawlKeys
from crawler.replica.clock import MSK
from crawler.runs.demo import ReplicaProcess, start_replica
from crawlcheck import BIN, LOCAL, REPO, Crawl, captures, comparable, read_job, run_crawl, warc_files

pytestmark = pytest.mark.slow

WAIT_SECONDS = 120
# Few requests at a time per worker against a slow server: the crawl lasts long enough to kill a worker in it.
SLOW_CRAWL = ["-s", "CONCURRENT_REQUESTS=4", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4",
              "-s", "DISTRIBUTED_LEASE_SECONDS=3"]


def wait_for(what: str, found: Callable[[], Any]) -> Any:
    """Poll Redis (or a process) until *found* gives something; fail naming *what* after WAIT_SECONDS."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if result := found():
            return result
        time.sleep(0.05)
    pytest.fail(f"waited {WAIT_SECONDS} s for {what}")


@pytest.fixture(scope="module")
def far_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplicaProcess]:
    replica = start_replica(now=datetime.now(MSK).replace(second=0, microsecond=0), latency_ms=300,
                            log_path=tmp_path_factory.mktemp("far") / "access.log")
    yield replica
    replica.stop()


@pytest.fixture(scope="module")
def reference(far_site: ReplicaProcess, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """The single-process crawl of the same site (it also takes the site's one-time 503)."""
    crawl = run_crawl(tmp_path_factory.mktemp("reference") / "archive", far_site)
    assert crawl.done.returncode == 0, crawl.done.stderr[-3000:]
    return crawl


def article_of(path: str) -> str | None:
    """The news id an article page or comment page belongs to."""
    found = re.match(r"/(\d+)-", path) or re.search(r"[?&]news_id=(\d+)", path)
    return found[1] if found else None


def leased_paths(server: redis.Redis, keys: CrawlKeys, worker: str, base: str) -> set[str]:
    """The paths of the requests *worker* holds leases on (each lease: "score pickled-request-dict")."""
    return {pickle.loads(value.split(b" ", 1)[1])["url"].removeprefix(base.rstrip("/"))
            for value in server.hvals(keys.leases(worker))}


def victim_in(server: redis.Redis, keys: CrawlKeys, pid_of: Callable[[], int | None]) -> tuple[str, int] | None:
    """The worker to kill, once it is mid-crawl: start() done, it has archived pages (its stats say so at each
    heartbeat) and it holds leases."""
    pid = pid_of()
    if pid is None or server.get(keys.seed) != b"done":
        return None
    for raw in server.smembers(keys.workers):
        worker = raw.decode()
        about = json.loads(server.get(keys.alive(worker)) or "{}")
        stats = json.loads(server.hget(keys.stats, worker) or "{}")
        if (about.get("pid") == pid and stats.get("warc/responses", 0) >= 5
                and server.hlen(keys.leases(worker))):
            return worker, pid
    return None


@pytest.mark.parametrize("how", ["joined worker, noticed by the others when its lease expires",
                                 "coordinator's worker, noticed by the coordinator when it ends"])
def test_a_worker_killed_mid_crawl_loses_nothing(how, tmp_path, far_site, reference, fresh_redis):
    server = fresh_redis.client()
    archive = tmp_path / "archive"
    log_start = len(far_site.log_path.read_text().splitlines())
    joined = how.startswith("joined")
    coordinator = subprocess.Popen(
        [sys.executable, "-m", "crawler", "crawl", "topwar", "--redis", fresh_redis.url, "--workers",
         "2" if joined else "3", "--out", str(archive), "-a", f"start_urls={far_site.url}", *LOCAL, *SLOW_CRAWL],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    job_id = wait_for("the crawl to be published", lambda: server.srandmember(OPEN_CRAWLS)).decode()
    keys = CrawlKeys(job_id)
    if joined:
        joiner = subprocess.Popen([sys.executable, "-m", "crawler", "worker", "--redis", fresh_redis.url],
                                  cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

        def pid_of() -> int | None:
            return joiner.pid
    else:
        def pid_of() -> int | None:
            about = server.get(keys.alive("w2"))
            return json.loads(about)["pid"] if about else None
    victim, pid = wait_for("a worker holding leases mid-crawl", lambda: victim_in(server, keys, pid_of))
    os.kill(pid, signal.SIGSTOP)  # frozen: it pops nothing more while we read what it holds
    in_flight = leased_paths(server, keys, victim, far_site.url)
    assert in_flight, "killed with requests in flight"
    os.kill(pid, signal.SIGKILL)
    stdout, stderr = coordinator.communicate(timeout=600)
    assert coordinator.returncode == 0, stdout + stderr[-3000:]
    if joined:
        assert joiner.wait(timeout=60) == -signal.SIGKILL
        assert f"note:            worker {victim} stopped renewing its lease; {len(in_flight)} of its requests " \
               "were requeued" in stdout
    else:
        assert f"{victim} killed by signal 9 (SIGKILL)" in stdout
        assert f"note:            worker {victim} ended with killed by signal 9 (SIGKILL); its {len(in_flight)} " \
               "unfinished requests were requeued" in stdout

    crawl = read_job(archive, far_site, log_start, stdout)
    # Complete: every article of the single-process crawl, once, with all its comments.
    assert len(crawl.articles) == len(crawl.lines) == len(reference.lines)
    for article_id, article in reference.articles.items():
        assert comparable(crawl.articles[article_id]) == comparable(article), article_id
    # Fetched twice: only what the victim had in flight (and robots.txt, once per worker). A request it was
    # handling when it died runs again with what follows from it: an article's later comment pages.
    counts = Counter(path for path, _ in crawl.fetches)
    assert counts.pop("/robots.txt") <= 3
    touched = {article_of(path) for path in in_flight} - {None}
    assert {path for path, count in counts.items() if count > 1 and article_of(path) not in touched} <= in_flight
    assert set(counts) == {path for path, _ in reference.fetches} - {"/robots.txt"}
    # The victim's WARC is unfinished (.open) but valid to its last record; all WARCs together hold every fetch.
    files = warc_files(crawl.job_dir)
    assert [path.name for path in files if path.name.endswith(".open")] != []
    assert all(f"-{victim}-" in path.name for path in files if path.name.endswith(".open"))
    for path in files:
        check = subprocess.run([BIN / "warcio", "check", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, path.name + check.stdout + check.stderr
    assert {far_site.url.rstrip("/") + path for path, _ in crawl.fetches} == set(captures(crawl.job_dir))
    assert server.keys(f"{keys.base}:*") == [] and not server.sismember(OPEN_CRAWLS, job_id)


def test_stopping_the_coordinator_stops_every_worker_cleanly(tmp_path, far_site, reference, fresh_redis):
    """SIGTERM (or Ctrl-C) to the coordinator: each worker gets one SIGTERM, Scrapy's clean stop; WARCs closed,
    lines whole, the crawl reported as stopped (exit status 1), nothing left in Redis."""
    archive = tmp_path / "archive"
    coordinator = subprocess.Popen(
        [sys.executable, "-m", "crawler", "crawl", "topwar", "--redis", fresh_redis.url, "--workers", "2",
         "--out", str(archive), "-a", f"start_urls={far_site.url}", *LOCAL, *SLOW_CRAWL],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def some_lines() -> bool:
        items = list(archive.glob("*/items.jsonl"))
        return bool(items) and len(items[0].read_bytes().splitlines()) >= 20

    wait_for("twenty lines", some_lines)
    coordinator.send_signal(signal.SIGTERM)
    stdout, stderr = coordinator.communicate(timeout=600)
    assert coordinator.returncode == 1, stdout + stderr[-3000:]
    assert stdout.startswith("newsarchive: crawl shutdown in")
    assert "workers:         2 (w1 exit status 1, w2 exit status 1)" in stdout, "both stopped, neither killed"
    crawl = read_job(archive, far_site, 0, stdout)
    assert 20 <= len(crawl.lines) < len(reference.lines)
    assert len(crawl.articles) == len(crawl.lines)
    files = warc_files(crawl.job_dir)
    assert files and not [path for path in files if path.name.endswith(".open")]
    for path in files:
        check = subprocess.run([BIN / "warcio", "check", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, path.name + check.stdout + check.stderr
    assert fresh_redis.client().keys("*") == []

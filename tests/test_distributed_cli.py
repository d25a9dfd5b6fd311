"""``newsarchive crawl --redis``, ``newsarchive worker`` and ``newsarchive watch --redis`` refuse what cannot run:
one line on stderr, exit 2, nothing written (no job folder, no key in Redis)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest


REPO = Path(__file__).resolve().parent.parent


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def newsarchive(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # The tests' folder on the path, for a spider of the tests that does not say it can run over several workers.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "tests"), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "crawler", *arguments], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env)


DOWN = f"redis://127.0.0.1:{closed_port()}/0"


@pytest.mark.parametrize(("arguments", "message"), [
    (["crawl", "topwar", "--redis", "URL", "--workers", "0"],
     "newsarchive crawl: error: --workers must be at least 1, got 0"),
    (["crawl", "topwar", "--redis", "URL", "--workers", "two"],
     "newsarchive crawl: error: --workers must be a whole number, got 'two'"),
    (["crawl", "topwar", "--workers", "2"],
     "newsarchive crawl: error: --workers needs --redis: the workers of a crawl share it through Redis"),
    (["crawl", "topwar", "--redis", DOWN], f"newsarchive crawl: error: cannot reach Redis at {DOWN}: Error 111 "),
    (["crawl", "topwar", "--redis", "http://127.0.0.1:6379/"], "newsarchive crawl: error: not a Redis URL: "),
    (["crawl", "topwar", "--redis", "URL", "-a", "max_articles=5"],
     "newsarchive crawl: error: spider argument max_articles cannot be used with --redis: each worker would count "
     "the articles it requested on its own"),
    (["crawl", "warcfetch", "--redis", "URL", "-s", "SPIDER_MODULES=warc_fetch_spider"],
     "newsarchive crawl: error: spider 'warcfetch' cannot run over several workers: it does not say how"),
    (["crawl", "nosuch", "--redis", "URL"], "newsarchive crawl: error: no spider named 'nosuch'"),
    (["crawl", "topwar", "--redis", "URL", "-s", "DISTRIBUTED_LEASE_SECONDS=0"],
     "newsarchive crawl: error: setting DISTRIBUTED_LEASE_SECONDS must be above 0, got 0.0"),
    (["crawl", "topwar", "--redis", "URL", "-s", "WARC_GZIP_LEVEL=11"],
     "newsarchive crawl: error: setting WARC_GZIP_LEVEL must be at least 0 and at most 9, got 11"),
    (["worker", "--redis", "URL"],
     "newsarchive worker: error: no crawl to join: start one with newsarchive crawl SPIDER --redis URL"),
    (["worker", "--redis", "URL", "--job", "2026-11-25-topwar"],
     "newsarchive worker: error: no crawl '2026-11-25-topwar' in this Redis database"),
    (["worker", "--redis", DOWN], f"newsarchive worker: error: cannot reach Redis at {DOWN}: Error 111 "),
])
def test_refused_before_anything_is_written(tmp_path, fresh_redis, arguments, message):
    arguments = [fresh_redis.url if argument == "URL" else argument for argument in arguments]
    done = newsarchive(*arguments, "--out", str(tmp_path / "archive"), cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith(message), done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert not (tmp_path / "archive").exists()
    assert fresh_redis.client().keys("*") == []


WATCH_PLAN = """
[jobs.news]
spider = "topwar"
cron = "0 * * * *"
output = "archive"
args = {{ start_urls = "http://127.0.0.1:9/"{more} }}
"""


@pytest.mark.parametrize(("arguments", "more", "message"), [
    (["once", "PLAN", "news", "--redis", "URL"], ", max_articles = 5",
     "newsarchive watch: error: job news: spider argument max_articles cannot be used with --redis: each worker "
     "would count the articles it requested on its own"),
    (["run", "PLAN", "--redis", DOWN], "", f"newsarchive watch: error: cannot reach Redis at {DOWN}: Error 111 "),
    (["once", "PLAN", "news", "--workers", "2"], "",
     "newsarchive watch: error: --workers needs --redis: the workers of a crawl share it through Redis"),
    (["once", "PLAN", "news", "--redis", "URL", "--workers", "0"], "",
     "newsarchive watch: error: job news: --workers must be at least 1, got 0"),
    (["run", "PLAN", "--redis", "URL", "--scrapyd", "http://127.0.0.1:6800"], "",
     "newsarchive watch run: error: argument --scrapyd: not allowed with argument --redis"),
])
def test_a_watch_on_redis_refuses_before_anything_runs(tmp_path, fresh_redis, arguments, more, message):
    plan = tmp_path / "plan.toml"
    plan.write_text(WATCH_PLAN.format(more=more), encoding="utf-8")
    arguments = [fresh_redis.url if a == "URL" else str(plan) if a == "PLAN" else a for a in arguments]
    done = newsarchive("watch", *arguments, cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith(message), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert not (tmp_path / "archive").exists()
    assert fresh_redis.client().keys("*") == []

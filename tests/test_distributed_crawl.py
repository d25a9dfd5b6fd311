"""One crawl over three workers through one Redis, against a single-process crawl of the same replica.

Both crawls run ``python -m crawler crawl topwar`` (the second with ``--redis URL --workers 3``) against one
replica server, one after the other; the replica's request log tells which pages each crawl fetched and how
often. The distributed crawl must give the same articles with the same comments, fetch no page twice (robots.txt
excepted: each worker reads it for itself), and leave WARC files from every worker, each valid, that together
hold every fetch and every source its lines point at.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from datetime import datetime

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.replica.clock import MSK
from crawler.runs.demo import ReplicaProcess, start_replica
from crawlcheck import BIN, Crawl, captures, comparable, run_crawl, warc_files
from redisserver import RedisServer

pytestmark = pytest.mark.slow

WORKERS = 3


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplicaProcess]:
    """A replica of its own (its one-time 503 goes to the first crawl), answering 20 ms late as a far server."""
    replica = start_replica(now=datetime.now(MSK).replace(second=0, microsecond=0), latency_ms=20,
                            log_path=tmp_path_factory.mktemp("site") / "access.log")
    yield replica
    replica.stop()


@pytest.fixture(scope="module")
def single(site: ReplicaProcess, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    crawl = run_crawl(tmp_path_factory.mktemp("single") / "archive", site)
    assert crawl.done.returncode == 0, crawl.done.stderr[-3000:]
    return crawl


@pytest.fixture(scope="module")
def shared(site: ReplicaProcess, single: Crawl, redis_server: RedisServer,
           tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return run_crawl(tmp_path_factory.mktemp("shared") / "archive", site,
                     "--redis", redis_server.url, "--workers", str(WORKERS))


def test_three_workers_finish_cleanly(shared: Crawl):
    assert shared.done.returncode == 0, shared.done.stdout + shared.done.stderr[-3000:]
    assert "newsarchive: crawl finished in" in shared.done.stdout
    assert "workers:         3 (w1 exit status 0, w2 exit status 0, w3 exit status 0)" in shared.done.stdout
    assert (shared.job_dir / "items.jsonl").is_file()
    assert sorted(path.name for path in (shared.job_dir / "logs").iterdir()) == ["w1.log", "w2.log", "w3.log"]


def test_same_articles_with_the_same_comments_as_one_process(single: Crawl, shared: Crawl):
    assert len(shared.lines) == len(single.lines) == 199
    assert len(shared.articles) == len(shared.lines), "each article once"
    assert shared.articles.keys() == single.articles.keys()
    for article_id, article in single.articles.items():
        assert comparable(shared.articles[article_id]) == comparable(article), article_id
    big = shared.articles["en.topwar.ru:213406"]
    assert (len(big["comments"]), len(big["sources"])) == (652, 16), "the article page and 15 comment pages, one line"


def test_the_summary_counts_what_items_jsonl_holds(shared: Crawl):
    comments = sum(len(line["comments"]) for line in shared.lines)
    assert f"articles:        {len(shared.lines)} " in shared.done.stdout
    assert f"comments:        {comments}\n" in shared.done.stdout


def test_no_page_is_fetched_twice(single: Crawl, shared: Crawl):
    counts = Counter(path for path, _ in shared.fetches)
    assert counts.pop("/robots.txt") == WORKERS, "each worker reads robots.txt for itself"
    assert [path for path, count in counts.items() if count > 1] == []
    assert set(counts) == {path for path, _ in single.fetches} - {"/robots.txt"}


def test_every_worker_wrote_its_own_valid_warcs(shared: Crawl):
    files = warc_files(shared.job_dir)
    assert {re.match(r"topwar-(w\d+)-\d{17}-\d{5}-", path.name)[1] for path in files} == {"w1", "w2", "w3"}
    assert not any(path.name.endswith(".open") for path in files), "every worker closed its files"
    for path in files:
        check = subprocess.run([BIN / "warcio", "check", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr


def test_the_warcs_together_hold_every_fetch_and_every_source(site: ReplicaProcess, shared: Crawl):
    held = captures(shared.job_dir)
    assert {site.url.rstrip("/") + path for path, _ in shared.fetches} == set(held)
    for line in shared.lines:
        for source in line["sources"]:
            with (shared.job_dir / source["warc_filename"]).open("rb") as stream:
                stream.seek(source["warc_offset"])
                record = next(iter(ArchiveIterator(stream)))
            assert record.rec_headers.get_header("WARC-Record-ID") == source["warc_record_id"]
            assert record.rec_headers.get_header("WARC-Target-URI") == source["url"]


def test_articles_are_assembled_from_pages_several_workers_fetched(shared: Crawl):
    """The article being assembled travels with its comment-page requests, so any worker can take the next page."""
    spread = [line["id"] for line in shared.lines if len({s["warc_filename"] for s in line["sources"]}) > 1]
    assert spread, "no article's pages were fetched by more than one worker"

"""scrapy-redis on Scrapy 2.19, made reliable (crawler.distributed.adapter and .leases), against a real redis-server.

What scrapy-redis alone does (a pop forgets the request), what the lease adds (a dead worker's requests come
back, with their priorities), and what a worker's scheduler must never do (flush the shared queue, let a
request vanish silently). The ack rule — a lease lasts until the engine is done with its request — is checked
in a real crawl at the end.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
import scrapy
from scrapy.utils.test import get_crawler
from scrapy_redis import picklecompat
from scrapy_redis.queue import PriorityQueue

from crawler.distributed.adapter import LeasedPriorityQueue, LeasedScheduler
from crawler.distributed.config import DistributedConfig
from crawler.distributed.crawljob import CrawlKeys
from crawler.distributed.leases import CrawlState, LeaseBook
from crawler.distributed.membership import DistributedWorker
from crawler.domain.items import Article, Comment, Source
from redisserver import RedisServer
from spiders.profiles import TopwarSpider

REPO = Path(__file__).resolve().parent.parent
KEYS = CrawlKeys("2026-11-25-test")
BASE = "http://127.0.0.1:9/"


def book(server: redis.Redis, worker: str | None, lease_seconds: float = 30) -> LeaseBook:
    leases = LeaseBook(server, KEYS, worker, lease_seconds)
    if worker is not None:
        leases.join({"host": "test", "pid": 0})
    return leases


def queue(server: redis.Redis, leases: LeaseBook, spider: scrapy.Spider) -> LeasedPriorityQueue:
    return LeasedPriorityQueue(server, spider, KEYS.requests, leases)


def half_built_article() -> Article:
    return Article(
        id="en.topwar.ru:179625", url=f"{BASE}179625-a.html", canonical_url=None, site="en.topwar.ru",
        title="A source reveals", comments=[Comment("10519713", None, 0, "Vladimir_2U", "2020-09-13T20:59:00+03:00",
                                                    "13 September 2020 20: 59", 0, "Interesting protesters")],
        fetched_at="2026-11-25T03:25:48.812190+00:00", warnings=["comment page 2: the answer is not valid JSON"],
        sources=[Source(f"{BASE}179625-a.html", 200, "2026-11-25T03:25:48.812190+00:00", "topwar-w1-x.warc.gz",
                        "<urn:uuid:1>", 1707340, 6859)])


@pytest.fixture
def server(fresh_redis: RedisServer) -> redis.Redis:
    return fresh_redis.client()


@pytest.fixture
def spider() -> TopwarSpider:
    return TopwarSpider(start_urls=BASE)


def test_a_comment_request_carries_its_half_built_article_through_redis(server, spider):
    article = half_built_article()
    sent = scrapy.Request(f"{BASE}engine/ajax/controller.php?news_id=179625&cstart=3", callback=spider.parse_comments,
                          errback=spider.comments_failed, priority=20, dont_filter=True,
                          headers={"X-Requested-With": "XMLHttpRequest"},
                          cb_kwargs={"article": article, "pending": [f"{BASE}c4", f"{BASE}c5"], "number": 3})
    on_w1 = queue(server, book(server, "w1"), spider)
    on_w1.push(sent)
    # Another worker (another spider object, as in another process) takes it.
    received = queue(server, book(server, "w2"), TopwarSpider(start_urls=BASE)).pop()
    assert received.url == sent.url
    assert received.callback.__name__ == "parse_comments" and received.errback.__name__ == "comments_failed"
    assert (received.priority, received.dont_filter) == (20, True)
    assert received.headers[b"X-Requested-With"] == b"XMLHttpRequest"
    assert received.cb_kwargs["article"] == article, "the article with its comments, warnings and sources so far"
    assert received.cb_kwargs["pending"] == [f"{BASE}c4", f"{BASE}c5"]
    assert received.cb_kwargs["number"] == 3


def test_scrapy_redis_alone_forgets_a_popped_request_a_lease_keeps_it(server, spider):
    stock = PriorityQueue(server, spider, KEYS.requests, serializer=picklecompat)
    stock.push(scrapy.Request(f"{BASE}1"))
    assert stock.pop().url == f"{BASE}1"
    assert server.zcard(KEYS.requests) == 0 and server.keys(f"{KEYS.base}:leases:*") == [], \
        "scrapy-redis: once popped, the request is nowhere but in the worker's memory"
    leases = book(server, "w1")
    leased = queue(server, leases, spider)
    leased.push(scrapy.Request(f"{BASE}2"))
    request = leased.pop()
    assert server.zcard(KEYS.requests) == 0
    assert server.hlen(KEYS.leases("w1")) == 1, "popped into the worker's lease hash"
    leases.ack([leased.leases[request].token])
    assert server.hlen(KEYS.leases("w1")) == 0


def test_requests_come_out_highest_priority_first(server, spider):
    leased = queue(server, book(server, "w1"), spider)
    for path, priority in [("listing", 0), ("comments", 20), ("article", 10)]:
        leased.push(scrapy.Request(f"{BASE}{path}", priority=priority))
    assert [leased.pop().url for _ in range(3)] == [f"{BASE}comments", f"{BASE}article", f"{BASE}listing"]
    assert leased.pop() is None


def test_a_dead_workers_leases_go_back_with_their_priorities(server, spider):
    dying = queue(server, book(server, "w1"), spider)
    for path, priority in [("article", 10), ("comments", 20)]:
        dying.push(scrapy.Request(f"{BASE}{path}", priority=priority))
    dying.pop()
    dying.pop()
    survivor = book(server, "w2")
    assert survivor.reap() == [], "w1 is alive: nothing to take back"
    server.delete(KEYS.alive("w1"))  # what its lease expiring does
    assert survivor.reap() == [("w1", 2)]
    assert sorted(server.zrange(KEYS.requests, 0, -1, withscores=True), key=lambda e: e[1])[0][1] == -20
    assert [request.url for request in (queue(server, survivor, spider).pop() for _ in range(2))] == \
        [f"{BASE}comments", f"{BASE}article"]
    assert server.smembers(KEYS.workers) == {b"w2"}
    assert server.hget(KEYS.counters, "requeued") == b"2"
    assert server.lrange(KEYS.events, 0, -1) == [
        b"worker w1 stopped renewing its lease; 2 of its requests were requeued"]
    assert survivor.reap() == [], "reaped once"


def test_a_worker_given_up_for_dead_learns_it_at_its_next_heartbeat(server):
    stalled, other = book(server, "w1"), book(server, "w2")
    server.delete(KEYS.alive("w1"))
    other.reap()
    assert stalled.heartbeat() is False
    assert stalled.heartbeat() is True, "registered again"
    assert server.sismember(KEYS.workers, "w1")


@pytest.mark.parametrize(("seed", "queued", "leased", "finished"), [
    ("done", 0, 0, True),
    ("done", 1, 0, False),
    ("done", 0, 1, False),
    ("seeding:w1", 0, 0, False),
    ("", 0, 0, False),
])
def test_the_crawl_is_over_when_seeded_and_nothing_is_queued_or_leased(server, spider, seed, queued, leased, finished):
    server.set(KEYS.descriptor, "{}")
    if seed:
        server.set(KEYS.seed, seed)
    leases = book(server, "w1")
    work = queue(server, leases, spider)
    for n in range(queued + leased):
        work.push(scrapy.Request(f"{BASE}{n}"))
    for _ in range(leased):
        work.pop()
    assert leases.state() == CrawlState(queued, leased, seed, withdrawn=False)
    assert leases.state().finished is finished


def test_a_withdrawn_crawl_is_over_for_its_workers(server):
    assert book(server, "w1").state().finished, "no descriptor: the coordinator ended the crawl"


def test_start_is_run_by_one_worker_and_again_if_it_dies_on_the_way(server):
    first, second = book(server, "w1"), book(server, "w2")
    assert first.claim_seed() is True
    assert second.claim_seed() is False
    server.delete(KEYS.alive("w1"))
    second.reap()
    assert second.claim_seed() is True, "the dead seeder's claim was released"
    second.seed_done()
    assert first.claim_seed() is False


def worker_scheduler(server: redis.Redis, url: str, worker: str) -> LeasedScheduler:
    settings = {"DISTRIBUTED_REDIS_URL": url, "ARCHIVE_JOB_ID": KEYS.job_id, "DISTRIBUTED_WORKER_ID": worker}
    crawler = get_crawler(TopwarSpider, settings)
    crawler.stats.open_spider()
    member = DistributedWorker(crawler, DistributedConfig.from_settings(crawler.settings), server)
    member.book.join({"host": "test", "pid": 0})
    scheduler = LeasedScheduler(crawler, member)
    scheduler.open(TopwarSpider(start_urls=BASE))
    return scheduler


def test_workers_share_one_duplicate_filter(server, fresh_redis):
    w1, w2 = worker_scheduler(server, fresh_redis.url, "w1"), worker_scheduler(server, fresh_redis.url, "w2")
    assert w1.enqueue_request(scrapy.Request(f"{BASE}page/2/")) is True
    assert w2.enqueue_request(scrapy.Request(f"{BASE}page/2/")) is False, "seen by w1"
    assert w2.enqueue_request(scrapy.Request(f"{BASE}page/2/", dont_filter=True)) is True
    assert len(w1) == 2


def test_a_closing_worker_never_flushes_the_shared_queue(server, fresh_redis):
    w1, w2 = worker_scheduler(server, fresh_redis.url, "w1"), worker_scheduler(server, fresh_redis.url, "w2")
    w1.enqueue_request(scrapy.Request(f"{BASE}a"))
    w1.enqueue_request(scrapy.Request(f"{BASE}b"))
    w1.close("finished")
    assert len(w2) == 2 and server.scard(KEYS.dupefilter) == 2, "scrapy-redis flushes both unless SCHEDULER_PERSIST"
    assert server.smembers(KEYS.workers) == {b"w2"}
    assert not server.exists(KEYS.alive("w1"))


def test_a_request_that_cannot_go_through_redis_is_refused_loudly(server, fresh_redis, caplog):
    w1 = worker_scheduler(server, fresh_redis.url, "w1")
    with caplog.at_level(logging.ERROR):
        assert w1.enqueue_request(scrapy.Request(f"{BASE}x", callback=lambda response: None)) is False
    assert "cannot go through Redis" in caplog.text
    assert w1.stats.get_value("distributed/unserializable_requests") == 1
    assert len(w1) == 0
    assert server.scard(KEYS.dupefilter) == 0, "not queued, so not seen: the same URL can still be crawled"
    assert w1.enqueue_request(scrapy.Request(f"{BASE}x")) is True


def test_a_request_is_seen_exactly_when_it_is_queued(server, fresh_redis):
    """Fingerprint and queue entry are written in one step: a worker dying between two round trips would leave a
    request seen but queued nowhere, and the re-run of its parent would filter it out for good."""
    w1 = worker_scheduler(server, fresh_redis.url, "w1")
    commands = []  # as clients sent them (the script's own commands are Redis's, atomic)
    monitor = fresh_redis.client().monitor()
    with monitor:
        assert w1.enqueue_request(scrapy.Request(f"{BASE}page/3/")) is True
        server.ping()
        for entry in monitor.listen():
            if entry["command"] == "PING":
                break
            if entry.get("client_type") != "lua":
                commands.append(entry["command"].split(" ", 1)[0].upper())
    assert [c for c in commands if c in ("SADD", "ZADD", "EVALSHA", "EVAL")] in (["EVALSHA"], ["EVAL"]), commands
    assert server.scard(KEYS.dupefilter) == 1 and len(w1) == 1


@pytest.mark.slow
def test_a_lease_lasts_until_scrapy_is_done_with_its_request(tmp_path, replica, fresh_redis):
    """A real crawl (Scrapy's engine, two workers): in every callback and errback, the request being handled is
    still leased in Redis; its line reaches the writer; no lease is left at the end."""
    archive = tmp_path / "archive"
    done = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "leaseprobe", "--redis", fresh_redis.url, "--workers", "2",
         "--out", str(archive), "-a", f"base={replica.url}", "-s", "SPIDER_MODULES=lease_probe_spider",
         "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "tests"), os.environ.get("PYTHONPATH", "")])})
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    (job,) = (path for path in archive.iterdir() if path.is_dir())
    lines = [json.loads(line) for line in (job / "items.jsonl").read_text().splitlines()]
    assert sorted(line["id"] for line in lines) == sorted(
        [f"{replica.url}page/{n}/" for n in range(1, 6)] + [f"{replica.url}no-such-page-{n}.html" for n in range(1, 6)])
    assert all(line["leased_while_handled"] for line in lines), [line["id"] for line in lines]
    assert {line["handled_by"] for line in lines} == {"callback", "errback"}
    assert fresh_redis.client().keys("newsarchive:crawl:*") == [], "the coordinator removed the crawl's keys"

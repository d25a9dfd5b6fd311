"""A distributed crawl as Redis holds it: its key names, and what a joining worker needs to know.

Every key of one crawl starts with ``newsarchive:crawl:{job id}:``, so crawls in one Redis database do not meet
and a finished crawl is removed with one pattern. The set ``newsarchive:crawls`` lists the crawls that workers
may join. The descriptor (:class:`CrawlJob`) carries the spider, its arguments and the settings the coordinator
was given, so ``newsarchive worker --redis URL`` on another machine runs the very same crawl.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

import redis

OPEN_CRAWLS = "newsarchive:crawls"


class CrawlNotFound(LookupError):
    """No crawl to join: none open, several open and none chosen, or the one named is not there."""


@dataclass(frozen=True)
class CrawlKeys:
    """The Redis keys of the crawl *job_id*."""

    job_id: str

    @property
    def base(self) -> str:
        return f"newsarchive:crawl:{self.job_id}"

    @property
    def descriptor(self) -> str:
        return f"{self.base}:job"

    @property
    def requests(self) -> str:
        """scrapy-redis's priority queue (a sorted set of serialized requests, score = -priority)."""
        return f"{self.base}:requests"

    @property
    def dupefilter(self) -> str:
        """scrapy-redis's duplicate filter (a set of request fingerprints)."""
        return f"{self.base}:dupefilter"

    @property
    def workers(self) -> str:
        return f"{self.base}:workers"

    @property
    def worker_numbers(self) -> str:
        return f"{self.base}:worker-numbers"

    def alive(self, worker: str) -> str:
        """Exists while *worker* is alive: set with an expiry that each heartbeat renews."""
        return f"{self.base}:alive:{worker}"

    def leases(self, worker: str) -> str:
        """The requests *worker* has popped and not finished: token -> "score serialized-request"."""
        return f"{self.base}:leases:{worker}"

    @property
    def seed(self) -> str:
        """Who runs the spider's start(): absent, ``seeding:{worker}``, or ``done``."""
        return f"{self.base}:seed"

    @property
    def lines(self) -> str:
        """Finished JSON lines from the workers, waiting for the coordinator's writer."""
        return f"{self.base}:lines"

    @property
    def lines_writing(self) -> str:
        """Lines the writer has taken and not yet written (they go back if it dies)."""
        return f"{self.base}:lines:writing"

    @property
    def stats(self) -> str:
        """Each worker's latest stats, as JSON."""
        return f"{self.base}:stats"

    @property
    def events(self) -> str:
        """What happened to the crawl as a whole, one sentence each (workers lost, requests requeued)."""
        return f"{self.base}:events"

    @property
    def counters(self) -> str:
        return f"{self.base}:counters"


@dataclass(frozen=True)
class CrawlJob:
    """What every worker of a crawl runs: spider, arguments, settings, and where the job folder lives."""

    job_id: str
    spider: str
    archive_dir: str
    spider_args: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def keys(self) -> CrawlKeys:
        return CrawlKeys(self.job_id)

    def publish(self, server: redis.Redis) -> None:
        """Make the crawl joinable."""
        server.set(self.keys.descriptor, json.dumps(asdict(self)))
        server.sadd(OPEN_CRAWLS, self.job_id)

    def withdraw(self, server: redis.Redis) -> None:
        """Remove the crawl and every key it left in Redis."""
        server.srem(OPEN_CRAWLS, self.job_id)
        doomed = list(server.scan_iter(match=f"{self.keys.base}:*", count=500))
        for start in range(0, len(doomed), 500):
            server.delete(*doomed[start : start + 500])

    @classmethod
    def load(cls, server: redis.Redis, job_id: str | None) -> CrawlJob:
        """The open crawl *job_id*, or the only open crawl; :class:`CrawlNotFound` otherwise."""
        if job_id is None:
            open_crawls = sorted(name.decode() for name in server.smembers(OPEN_CRAWLS))
            if not open_crawls:
                raise CrawlNotFound("no crawl to join: start one with newsarchive crawl SPIDER --redis URL")
            if len(open_crawls) > 1:
                raise CrawlNotFound(f"several crawls to join, choose one with --job: {', '.join(open_crawls)}")
            job_id = open_crawls[0]
        data = server.get(CrawlKeys(job_id).descriptor)
        if data is None:
            raise CrawlNotFound(f"no crawl {job_id!r} in this Redis database")
        return cls(**json.loads(data))

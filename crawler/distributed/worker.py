"""One worker of a distributed crawl: ``newsarchive worker --redis URL``, or a process the coordinator started.

The worker reads the crawl (spider, arguments, settings, archive folder) from Redis, takes a worker id
(``w1``, ``w2``…) and runs an ordinary Scrapy crawl of that spider with the settings below added: the frontier
and duplicate filter in Redis (:mod:`crawler.distributed.adapter`), start() run by one worker
(:mod:`crawler.distributed.seeding`), lines handed to the coordinator (:mod:`crawler.distributed.lines`), and its
own WARC files, named with its id, in the crawl's job folder. On another machine ``--out`` names the archive
folder there (default: the coordinator's path, right for a shared mount).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess

from crawler.distributed.config import DistributedConfig, DistributedSettingError, RedisUnreachable, connect
from crawler.distributed.crawljob import CrawlJob, CrawlNotFound
from crawler.distributed.stats import publish_stats
from crawler.domain.layout import Job
from crawler.runs.crawl import project_settings, run_crawler
from crawler.runs.outcome import EXIT_FAILED, EXIT_OK, RunRefused, ran_cleanly
from crawler.warc.config import WarcConfig, WarcSettingError, warc_enabled

logger = logging.getLogger(__name__)


@dataclass
class WorkerResult:
    """How one worker's part of the crawl went."""

    worker_id: str
    job: Job
    stats: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def exit_status(self) -> int:
        reasons = [str(self.stats.get("finish_reason", "did not finish"))]
        return EXIT_OK if ran_cleanly(reasons, self.stats, [self.error] if self.error else []) else EXIT_FAILED

    def summary(self) -> str:
        s = self.stats
        if self.error is not None:
            return f"newsarchive worker {self.worker_id}: did not run: {self.error}"
        return (f"newsarchive worker {self.worker_id}: {s.get('finish_reason', 'did not finish')} "
                f"— job {self.job.id}: "
                f"{s.get('downloader/response_count', 0)} pages fetched, "
                f"{s.get('distributed/lines_published', 0)} lines handed on, {s.get('log_count/ERROR', 0)} errors")


def worker_settings(crawl: CrawlJob, *, redis_url: str, worker_id: str, archive_dir: str | Path) -> dict[str, Any]:
    """The crawl's settings plus what makes this process one of its workers."""
    base = project_settings(crawl.settings)
    try:
        prefix = WarcConfig.from_settings(base).prefix or crawl.spider
    except WarcSettingError as e:
        raise RunRefused(f"setting {e}") from e
    return {
        **crawl.settings,
        "ARCHIVE_DIR": str(archive_dir),
        "ARCHIVE_JOB_ID": crawl.job_id,
        "DISTRIBUTED_REDIS_URL": redis_url,
        "DISTRIBUTED_WORKER_ID": worker_id,
        "SCHEDULER": "crawler.distributed.adapter.LeasedScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        # The coordinator writes items.jsonl; a worker hands its lines on instead of writing a feed.
        "FEEDS": {},
        "WARC_PREFIX": f"{prefix}-{worker_id}",
        "EXTENSIONS": {
            **base.getdict("EXTENSIONS"),
            "crawler.distributed.membership.DistributedWorker": 10,
            "crawler.distributed.lines.LinePublisher": 11,
        },
        "SPIDER_MIDDLEWARES": {**base.getdict("SPIDER_MIDDLEWARES"), "crawler.distributed.seeding.SeedOnce": 10},
    }


def check_worker_settings(settings: Mapping[str, Any]) -> None:
    """Refuse settings a worker cannot run with (:class:`RunRefused`), before anything starts."""
    merged = project_settings(settings)
    try:
        DistributedConfig.from_settings(merged)
        if warc_enabled(merged):
            WarcConfig.from_settings(merged)
    except (DistributedSettingError, WarcSettingError) as e:
        raise RunRefused(f"setting {e}") from e


def run_worker(redis_url: str, *, job_id: str | None = None, archive_dir: str | Path | None = None,
               worker_id: str | None = None) -> WorkerResult:
    """Join the crawl *job_id* (default: the only open one) and work on it until it is finished.

    An unreachable Redis, no crawl to join or bad settings raise :class:`RunRefused` before anything is written.
    Runs the Twisted reactor, so it can be called once per process.
    """
    try:
        server = connect(redis_url)
        crawl = CrawlJob.load(server, job_id)
    except (RedisUnreachable, CrawlNotFound) as e:
        raise RunRefused(str(e)) from e
    archive = Path(archive_dir) if archive_dir is not None else Path(crawl.archive_dir)
    worker_id = worker_id or f"w{server.incr(crawl.keys.worker_numbers)}"
    settings = worker_settings(crawl, redis_url=redis_url, worker_id=worker_id, archive_dir=archive)
    check_worker_settings(settings)
    job = Job.named(archive, crawl.job_id)
    process = CrawlerProcess(project_settings(settings))
    crawler = process.create_crawler(crawl.spider)
    stats, errors = run_crawler(process, crawler, crawl.spider_args, "worker")
    if stats:
        publish_stats(server, crawl.keys, worker_id, stats)
    return WorkerResult(worker_id, job, stats, errors[0] if errors else None)

"""A worker's membership in a distributed crawl: its heartbeat, the dead it reaps, and when it may stop.

One extension per worker crawl, enabled when ``DISTRIBUTED_REDIS_URL`` is set. It owns the Redis client and the
worker's :class:`~crawler.distributed.leases.LeaseBook`; the scheduler (:mod:`crawler.distributed.adapter`), the
seeding middleware and the line publisher get them from it through ``crawler.get_extension``. Every heartbeat it
renews its lease, requeues the requests of workers whose leases expired, and leaves a snapshot of its stats in
Redis (so even a worker killed outright is counted). Scrapy closes a spider once its own scheduler is empty; here
an empty queue is not the end while another worker holds leases whose callbacks may queue more, so the worker
stays open (``DontCloseSpider``) until the crawl as a whole is finished.
"""

from __future__ import annotations

import logging
import os
import socket
from typing import TYPE_CHECKING

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet import task

from crawler.distributed.config import DistributedConfig, connect
from crawler.distributed.crawljob import CrawlKeys
from crawler.distributed.leases import LeaseBook
from crawler.distributed.stats import publish_stats

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class DistributedWorker:
    """This process's place in the crawl ``ARCHIVE_JOB_ID`` on the Redis at ``DISTRIBUTED_REDIS_URL``."""

    def __init__(self, crawler: Crawler, config: DistributedConfig, server: redis.Redis):
        self.crawler = crawler
        self.stats = crawler.stats
        self.config = config
        self.server = server
        self.book = LeaseBook(server, CrawlKeys(config.job_id), config.worker_id, config.lease_seconds)
        self._heartbeat: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = DistributedConfig.from_settings(crawler.settings)
        if not config.redis_url:
            raise NotConfigured("DISTRIBUTED_REDIS_URL is not set: not a distributed crawl")
        if not config.job_id or not config.worker_id:
            raise ValueError("a distributed worker needs ARCHIVE_JOB_ID and DISTRIBUTED_WORKER_ID")
        worker = cls(crawler, config, connect(config.redis_url))
        crawler.signals.connect(worker.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(worker.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(worker.spider_closed, signal=signals.spider_closed)
        return worker

    def spider_opened(self) -> None:
        self.book.join({"host": socket.gethostname(), "pid": os.getpid()})
        self.stats.set_value("distributed/worker", self.config.worker_id)
        self._heartbeat = task.LoopingCall(self.beat)
        self._heartbeat.start(self.config.heartbeat_seconds, now=False)

    def beat(self) -> None:
        """Renew the lease, requeue the dead's requests, leave a stats snapshot."""
        try:
            if not self.book.heartbeat():
                # Stalled longer than the lease: our requests were requeued and may be fetched twice.
                logger.warning("worker %s was given up for dead by the others; its in-flight requests were "
                               "requeued", self.config.worker_id)
                self.stats.inc_value("distributed/lease_lost")
            for worker, requeued in self.book.reap():
                self.stats.inc_value("distributed/workers_reaped")
                self.stats.inc_value("distributed/requests_requeued", requeued)
                logger.info("requeued %d requests of worker %s", requeued, worker)
            publish_stats(self.server, self.book.keys, self.config.worker_id, self.stats.get_stats())
        except redis.RedisError as e:
            logger.warning("heartbeat failed (Redis: %s); trying again", e)

    def spider_idle(self) -> None:
        state = self.book.state()
        if not state.finished:
            raise DontCloseSpider

    def spider_closed(self) -> None:
        if self._heartbeat is not None and self._heartbeat.running:
            self._heartbeat.stop()

"""The Scrapy extension a watch turns on for its runs: the run's final stats, written into its job folder.

Whichever backend ran the crawl (a local process, scrapyd), the scheduler
reads ``stats.json`` from the job folder to learn how the run ended and what
it did (requests, 304 answers, revisit records, new articles…). In the workers
of a distributed crawl (the Redis backend) it stays off: each worker's stats
are a part of the crawl's, and the coordinator writes the merged ones there.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.components.jobfolder import job_of
from crawler.domain.outputs import write_json

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

EXTENSION = "crawler.watch.extension.RunStatsFile"


class RunStatsFile:
    """Writes the crawl's final stats (and why it closed) to ``stats.json`` in the job folder."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if crawler.settings.get("DISTRIBUTED_WORKER_ID"):
            raise NotConfigured("a worker of a distributed crawl: the coordinator writes the merged stats")
        extension = cls(crawler)
        # After the stats collector's own spider_closed (which sets finish_reason and elapsed time).
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, reason: str) -> None:
        stats: dict[str, Any] = dict(self.crawler.stats.get_stats())
        stats.setdefault("finish_reason", reason)
        path = job_of(self.crawler).stats_path
        write_json(path, stats)
        logger.info("run stats written to %s", path)

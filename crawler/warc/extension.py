"""The crawl's WARC archive: one extension that owns the writer and its configuration.

Enabled by ``WARC_ENABLED`` and configured by the other ``WARC_*`` settings
(:class:`~crawler.warc.config.WarcConfig`, read here and nowhere else during a
crawl; a bad value stops the crawl before it starts, because an archival
crawl that silently archives nothing is worse than one that refuses). It
starts the writer process when the spider opens (digests, dedup, gzip and
file writes run there, on another core: :mod:`crawler.warc.worker`) and
finishes the files when it closes. The download handler
(:class:`crawler.warc.handler.ArchivingDownloadHandler`) gets this extension
from the crawler and hands it each exchange it downloaded; what comes back is
where the records landed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future

from crawler.components.jobfolder import job_of
from crawler.components.pipelines import ARCHIVE_FAILED_STAT
from crawler.domain.provenance import latest_source
from crawler.warc.config import WarcConfig, warc_enabled
from crawler.warc.warcinfo import warcinfo_fields
from crawler.warc.worker_client import WarcWorker, WarcWriteError

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from crawler.warc.archiver import ArchivedResponse, Exchange

logger = logging.getLogger(__name__)


class WarcArchive:
    """Writes the crawl's exchanges into WARC files through a writer process, and counts them (``warc/*``)."""

    def __init__(self, crawler: Crawler, config: WarcConfig):
        self.crawler = crawler
        self.stats = crawler.stats
        self.config = config
        self._worker: WarcWorker | None = None
        self._stopping = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not warc_enabled(crawler.settings):
            raise NotConfigured("WARC_ENABLED is off")
        archive = cls(crawler, WarcConfig.from_settings(crawler.settings))  # a bad value: the crawl does not start
        crawler.signals.connect(archive.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(archive.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(archive.response_received, signal=signals.response_received)
        return archive

    def spider_opened(self) -> None:
        job = job_of(self.crawler)
        self._worker = WarcWorker.spawn({
            "directory": str(self.config.directory_for(job.dir)),
            "prefix": self.config.prefix or self.crawler.spidercls.name,
            "warcinfo": warcinfo_fields(self.crawler, self.config.operator),
            "max_size": self.config.max_size,
            "gzip_level": self.config.gzip_level,
            "index": str(job.digest_index_path) if self.config.dedup else None,
            "log_level": self.crawler.settings.get("LOG_LEVEL"),
        })

    async def spider_closed(self) -> None:
        if self._worker is None:
            return
        try:
            files, failed = await maybe_deferred_to_future(self._worker.close())
        except WarcWriteError as e:
            logger.error("The WARC files could not be finished (%s): they keep their .open names", e)
            return
        self.stats.set_value("warc/files", len(files))
        if failed:
            # Said once more at the end, where a user looks: which file is unfinished, and from which offset.
            logger.error("WARC file left unfinished: %s", failed)
            self.stats.set_value("warc/unfinished", failed)

    async def archive(self, exchange: Exchange) -> ArchivedResponse:
        """Write *exchange*; where its response (or revisit) record landed.

        A write that fails raises :class:`WarcWriteError` and stops the crawl:
        crawling on without an archive would lose what the crawl is for.
        """
        if self._worker is None:
            raise WarcWriteError("the WARC writer is not running (the spider is not open)")
        try:
            archived = await maybe_deferred_to_future(self._worker.archive(exchange))
        except WarcWriteError as e:
            self.stats.inc_value(ARCHIVE_FAILED_STAT)
            if not self._stopping:
                self._stopping = True
                logger.error("Cannot write WARC records (%s); stopping the crawl", e)
                deferred_from_coro(self.crawler.engine.close_spider_async(reason="warc_write_failed"))
            raise
        self._count(archived)
        return archived

    def response_received(self, response: Response, request: Request) -> None:
        # Responses not fetched from the network now (from HttpCache, or a non-HTTP handler) are not archived.
        source = latest_source(request)
        if source is None or source.url != response.url or source.warc_filename is None:
            self.stats.inc_value("warc/responses_not_archived")

    def _count(self, archived: ArchivedResponse) -> None:
        self.stats.inc_value("warc/records", 2)
        self.stats.inc_value("warc/revisits" if archived.revisit else "warc/responses")
        self.stats.inc_value("warc/bytes_written", archived.bytes_written)
        if archived.interim_bytes_dropped:
            self.stats.inc_value("warc/interim_responses_dropped")

"""The downloader middleware that archives every network exchange of a crawl as WARC records.

It sits next to the downloader (priority 950), below HttpCompression (590),
Redirect (600), Retry (550) and HttpCache (900), so it sees each response as
it came off the network, before anything decodes it: redirects, error pages,
every retried attempt and robots.txt are captures of their own. The bytes
come from :class:`crawler.warc.capture.RecordingHTTPDownloadHandler`; a
response without a capture (from HttpCache, or from a non-HTTP handler) was
not fetched from the network now and is not archived (counted in
``warc/responses_not_archived``).

Digesting, dedup, gzip and writing run in a writer process
(:mod:`crawler.warc.worker`); the response waits for its records to be on
disk, then carries their location into
:func:`crawler.provenance.record_capture` for the spider's ``sources``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future

from crawler.items import Source
from crawler.jobs import job_for
from crawler.provenance import record_capture
from crawler.warc.archiver import ArchivedResponse, Exchange
from crawler.warc.capture import CAPTURE_META_KEY, WireCapture
from crawler.warc.config import WarcConfig, bool_setting
from crawler.warc.dedup import INDEX_FILENAME
from crawler.warc.warcinfo import warcinfo_fields
from crawler.warc.worker_client import WarcWorker, WarcWriteError

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from typing import Self

logger = logging.getLogger(__name__)


class WarcWriterMiddleware:
    """Writes a request record and a response (or revisit) record for every network response."""

    def __init__(self, crawler: Crawler, config: WarcConfig):
        self.crawler = crawler
        self.stats = crawler.stats
        self.config = config
        self._worker: WarcWorker | None = None
        self._stopping = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not bool_setting(crawler.settings, "WARC_ENABLED"):
            raise NotConfigured("WARC_ENABLED is off")
        middleware = cls(crawler, WarcConfig.from_settings(crawler.settings))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self) -> None:
        job = job_for(self.crawler)
        directory = Path(self.config.directory) if self.config.directory else job.dir
        self._worker = WarcWorker.spawn(
            {
                "directory": str(directory),
                "prefix": self.config.prefix or self.crawler.spidercls.name,
                "warcinfo": warcinfo_fields(self.crawler, self.config.operator),
                "max_size": self.config.max_size,
                "gzip_level": self.config.gzip_level,
                "index": str(job.archive_dir / INDEX_FILENAME) if self.config.dedup else None,
                "log_level": self.crawler.settings.get("LOG_LEVEL"),
            }
        )

    async def spider_closed(self) -> None:
        if self._worker is None:
            return
        files = await maybe_deferred_to_future(self._worker.close())
        self.stats.set_value("warc/files", len(files))

    def process_exception(self, request: Request, exception: BaseException) -> None:
        # A failed download never reaches process_response; drop its partial capture.
        request.meta.pop(CAPTURE_META_KEY, None)

    async def process_response(self, request: Request, response: Response) -> Response:
        capture: WireCapture | None = request.meta.pop(CAPTURE_META_KEY, None)
        if capture is None or self._worker is None:
            self.stats.inc_value("warc/responses_not_archived")
            return response
        exchange = self._exchange(request, response, capture)
        try:
            archived = await maybe_deferred_to_future(self._worker.archive(exchange))
        except WarcWriteError as e:
            self.stats.inc_value("warc/write_errors")
            if not self._stopping:
                # Crawling on without an archive would lose what the crawl is for.
                self._stopping = True
                logger.error("Cannot write WARC records (%s); stopping the crawl", e)
                deferred_from_coro(self.crawler.engine.close_spider_async(reason="warc_write_failed"))
            # Not a failed fetch: the page came, but the crawl is stopping and cannot keep it.
            raise IgnoreRequest(f"not archived, the WARC writer failed: {e}") from e
        record_capture(
            request,
            Source(
                url=exchange.target_uri,
                status=response.status,
                captured_at=archived.warc_date.isoformat(),
                warc_filename=archived.filename,
                warc_record_id=archived.record_id,
                warc_offset=archived.offset,
                warc_length=archived.length,
            ),
        )
        self._count(archived)
        return response

    def _exchange(self, request: Request, response: Response, capture: WireCapture) -> Exchange:
        truncated = None
        if "download_stopped" in response.flags:
            truncated = "unspecified"
        elif "dataloss" in response.flags or not capture.ended:
            truncated = "disconnect"
        return Exchange(
            target_uri=response.url,
            status=response.status,
            sent_at=datetime.fromtimestamp(capture.sent_at, timezone.utc),
            # Through a proxy the peer is the proxy, not the site.
            ip_address=None if request.meta.get("proxy") else capture.peer_ip,
            request=capture.request_bytes(),
            response=capture.response_bytes(),
            truncated=truncated,
        )

    def _count(self, archived: ArchivedResponse) -> None:
        self.stats.inc_value("warc/records", 2)
        self.stats.inc_value("warc/revisits" if archived.revisit else "warc/responses")
        self.stats.inc_value("warc/bytes_written", archived.bytes_written)
        if archived.interim_bytes_dropped:
            self.stats.inc_value("warc/interim_responses_dropped")

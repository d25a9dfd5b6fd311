"""The download handler of every live crawl: Scrapy's HTTP/1.1 handler that archives what it downloads.

Installed for ``http`` and ``https`` in ``DOWNLOAD_HANDLERS``. With the
:class:`~crawler.warc.extension.WarcArchive` extension enabled, each
exchange's raw bytes (captured by :mod:`crawler.warc.http11`) are written as
WARC records before the response goes on to the middlewares, so redirects,
error pages, every retried attempt and robots.txt are captures of their own,
as they came off the network; the response's provenance (capture time and
record location) is recorded for the spider. Without the extension it is
Scrapy's handler, recording nothing.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest

from crawler.domain.provenance import make_source, record_capture
from crawler.warc.archiver import Exchange
from crawler.warc.extension import WarcArchive
from crawler.warc.http11 import CapturingHTTP11DownloadHandler, WireCapture
from crawler.warc.worker_client import WarcWriteError

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response


class ArchivingDownloadHandler(CapturingHTTP11DownloadHandler):
    """Archives every exchange it downloads through the crawl's :class:`WarcArchive` (if WARC is on)."""

    def __init__(self, crawler: Crawler):
        archive = crawler.get_extension(WarcArchive)
        super().__init__(crawler, record=archive is not None)
        self._archive = archive

    async def exchange_captured(self, request: Request, response: Response, capture: WireCapture) -> Response:
        assert self._archive is not None  # recording only with the archive
        exchange = exchange_of(request, response, capture)
        try:
            archived = await self._archive.archive(exchange)
        except WarcWriteError as e:
            # Not a failed fetch: the page came, but the crawl is stopping and cannot keep it.
            raise IgnoreRequest(f"not archived, the WARC writer failed: {e}") from e
        record_capture(request, make_source(exchange.target_uri, response.status, archived.warc_date, archived))
        return response


def exchange_of(request: Request, response: Response, capture: WireCapture) -> Exchange:
    """What the WARC writer needs of one download: its bytes, when it was sent, and how it ended."""
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

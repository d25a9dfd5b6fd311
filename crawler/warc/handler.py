"""The download handler of every live crawl: Scrapy's HTTP/1.1 handler that archives what it downloads.

Installed for ``http`` and ``https`` in ``DOWNLOAD_HANDLERS``. With the
:class:`~crawler.warc.extension.WarcArchive` extension enabled, each
exchange's raw bytes (captured by :mod:`crawler.warc.http11`) are written as
WARC records before the response goes on to the middlewares, so redirects,
error pages, every retried attempt and robots.txt are captures of their own,
as they came off the network; the response's provenance (capture time and
record location) is recorded for the spider. Without the extension it is
Scrapy's handler, recording nothing.

What went wrong on the wire is archived too, and said:

- a download that fails after the response's head arrived (the connection
  closed or was reset mid-body, a timeout, a size limit) still fails, as
  Scrapy decides (so it is retried), but what arrived is archived with
  ``WARC-Truncated``, its provenance is recorded on the request (the
  spider's errback gives it as the line's source) and the error says what
  happened: "the connection closed after 6400 of 12800 announced body bytes;
  archived as truncated";
- bytes a server sent past its ``Content-Length`` are not part of the response
  (browsers ignore them too), but they are kept in a ``metadata`` record
  beside it and the response carries a flag
  (:func:`crawler.domain.transfer.excess_flag`) that page objects turn into
  a warning on the item.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest, ResponseDataLossError
from twisted.internet.error import ConnectionLost

from crawler.domain.provenance import make_source, record_capture
from crawler.domain.transfer import excess_flag
from crawler.warc.archiver import Exchange
from crawler.warc.extension import WarcArchive
from crawler.warc.http11 import CapturingHTTP11DownloadHandler, ResponseHead, WireCapture
from crawler.warc.records import http_head_length, interim_responses_length
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
        self.stats = crawler.stats

    async def exchange_captured(self, request: Request, response: Response, capture: WireCapture) -> Response:
        assert self._archive is not None  # recording only with the archive
        exchange = exchange_of(request, response, capture)
        try:
            archived = await self._archive.archive(exchange)
        except WarcWriteError as e:
            # Not a failed fetch: the page came, but the crawl is stopping and cannot keep it.
            raise IgnoreRequest(f"not archived, the WARC writer failed: {e}") from e
        record_capture(request, make_source(exchange.target_uri, response.status, archived.warc_date, archived))
        if exchange.excess:
            self.stats.inc_value("warc/excess_bytes_kept", len(exchange.excess))
            response.flags.append(excess_flag(len(exchange.excess), len(response.body)))
        return response

    async def exchange_failed(self, request: Request, capture: WireCapture, head: ResponseHead,
                              error: Exception) -> Exception:
        assert self._archive is not None
        response = capture.response_bytes()
        start = interim_responses_length(response)
        received = len(response) - start - http_head_length(response[start:])
        exchange = Exchange(
            target_uri=request.url,
            status=head.status,
            sent_at=datetime.fromtimestamp(capture.sent_at, timezone.utc),
            ip_address=None if request.meta.get("proxy") else capture.peer_ip,
            request=capture.request_bytes(),
            response=response,
            truncated=_truncation(error),
        )
        try:
            archived = await self._archive.archive(exchange)
        except WarcWriteError as e:
            return IgnoreRequest(f"not archived, the WARC writer failed: {e}")
        record_capture(request, make_source(request.url, head.status, archived.warc_date, archived))
        self.stats.inc_value("warc/partial_responses")
        # The error keeps its type (Scrapy's retries and the spider's errback decide by it); its message
        # now says what happened and what was kept.
        error.args = (f"{what_happened(error, received, head.announced_length)}; archived as truncated",)
        return error


def _truncation(error: Exception) -> str:
    """The ``WARC-Truncated`` reason for a download that failed with *error*."""
    if isinstance(error, DownloadTimeoutError):
        return "time"
    if isinstance(error, DownloadCancelledError):  # DOWNLOAD_MAXSIZE
        return "length"
    return "disconnect"


def what_happened(error: Exception, received: int, announced: int | None) -> str:
    """One sentence on how a download that had begun ended: how many body bytes came of how many."""
    of = f"{received} of {announced} announced body bytes" if announced is not None else f"{received} body bytes"
    if isinstance(error, ResponseDataLossError):
        reasons = getattr(error.__cause__, "reasons", [])
        reset = any(reason.check(ConnectionLost) for reason in reasons)
        return f"the connection {'was reset' if reset else 'closed'} after {of}"
    message = str(error).strip().rstrip(".")
    return f"{message or type(error).__name__}: {of} had arrived"


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
        excess=capture.excess_bytes(),
    )

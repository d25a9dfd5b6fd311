"""Every response leaves the downloader with its capture recorded, archived or not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from crawler.domain.provenance import latest_source, make_source, record_capture

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response


class CaptureTimeMiddleware:
    """Records when a response arrived if the download layer recorded no capture for it.

    The WARC download handler records what it archives (WARC-Date and record
    location). Responses it did not archive — WARC writing off, a response
    from HttpCache, a non-HTTP download handler — get their capture here, the
    time they came out of the downloader and no record location, so a spider
    can always hand its page objects a capture. It sits next to the
    downloader (priority 950), so it sees each response before redirects and
    retries act on it.
    """

    def __init__(self, clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self.clock = clock

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls()

    def process_response(self, request: Request, response: Response) -> Response:
        latest = latest_source(request)
        if latest is None or latest.url != response.url:
            record_capture(request, make_source(response.url, response.status, self.clock()))
        return response

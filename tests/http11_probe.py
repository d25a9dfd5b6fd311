"""A download handler and spider for the HTTP/1.1 adapter's tests: every raw capture, as an item.

``PYTHONPATH=tests scrapy runspider tests/http11_probe.py -a urls=U1,U2 -O out.json`` with
``DOWNLOAD_HANDLERS`` naming :class:`ProbeHandler`: the items hold the bytes the adapter captured for
each download (latin-1 text), whether the response ended cleanly, and the response Scrapy built.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.warc.http11 import CapturingHTTP11DownloadHandler, WireCapture

PROBE_META_KEY = "http11_probe_capture"


class ProbeHandler(CapturingHTTP11DownloadHandler):
    """Hands each capture to the spider (a test's own channel: the project's handler archives it instead)."""

    async def exchange_captured(self, request: scrapy.Request, response: Response, capture: WireCapture) -> Response:
        request.meta[PROBE_META_KEY] = capture
        return response


class ProbeSpider(scrapy.Spider):
    name = "http11probe"
    custom_settings = {"ROBOTSTXT_OBEY": False, "HTTPERROR_ALLOW_ALL": True, "REDIRECT_ENABLED": False,
                       "CONCURRENT_REQUESTS": 1, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                       "COMPRESSION_ENABLED": False, "WARC_ENABLED": False, "LOG_LEVEL": "INFO",
                       "DOWNLOAD_HANDLERS": {"http": "http11_probe.ProbeHandler", "https": "http11_probe.ProbeHandler"}}

    def __init__(self, urls: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        self.urls = [url for url in urls.split(",") if url]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, dont_filter=True)

    def parse(self, response: Response) -> Iterator[dict[str, Any]]:
        capture: WireCapture | None = response.meta.get(PROBE_META_KEY)
        yield {
            "url": response.url,
            "status": response.status,
            "body": response.body.decode("latin-1"),
            "sent": capture.request_bytes().decode("latin-1") if capture else None,
            "received": capture.response_bytes().decode("latin-1") if capture else None,
            "ended": capture.ended if capture else None,
            "peer_ip": capture.peer_ip if capture else None,
        }

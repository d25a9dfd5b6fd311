"""A spider for the reprocessing tests: one item per response, describing the response Scrapy built.

Run live (``scrapy runspider``) and under reprocessing, its items must be
equal: same response class, status, protocol, headers (names, values and
order), decoded body and flags, whether the bytes came off the network or out
of a WARC.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response


class ResponseProbeSpider(scrapy.Spider):
    """``-a urls=U1,U2`` (or a list in-process): fetch each URL, follow redirects, describe every response."""

    name = "responseprobe"
    archive_start_argument = "urls"
    custom_settings = {"HTTPERROR_ALLOW_ALL": True}

    def __init__(self, urls: str | list[str] = "", **kwargs: Any):
        super().__init__(**kwargs)
        self.urls = urls if isinstance(urls, list) else [url for url in urls.split(",") if url]

    @classmethod
    def is_archive_start(cls, url: str, status: int, mime: str | None) -> bool:
        return not url.endswith("/robots.txt")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, dont_filter=True)

    def parse(self, response: Response) -> Iterator[dict[str, Any]]:
        yield {
            "url": response.url,
            "class": type(response).__name__,
            "status": response.status,
            "protocol": response.protocol,
            "ip_address": str(response.ip_address),
            "headers": [[name.decode("latin-1"), [value.decode("latin-1") for value in response.headers.getlist(name)]]
                        for name in response.headers],
            "body_sha1": hashlib.sha1(response.body).hexdigest(),
            "flags": response.flags,
        }

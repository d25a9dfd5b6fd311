"""A spider for the WARC tests: fetches exactly the URLs it is given and records their sources."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.provenance import sources_for


class WarcFetchSpider(scrapy.Spider):
    """``-a urls=U1,U2``: one item per URL with the response's status and ``sources``."""

    name = "warcfetch"

    def __init__(self, urls: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        self.urls = [url for url in urls.split(",") if url]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, dont_filter=True, meta={"handle_httpstatus_list": [404]})

    def parse(self, response: Response) -> Iterator[dict[str, Any]]:
        yield {
            "url": response.url,
            "status": response.status,
            "sources": [dataclasses.asdict(source) for source in sources_for(response)],
        }

"""A spider that looks, from inside each callback and errback, whether the request it handles is still leased.

Run by ``newsarchive crawl leaseprobe --redis URL`` in tests/test_distributed_adapter.py: one line per page with
what it saw. Five listing pages of the replica, one after the other (each queued by the callback before it), and
five pages that do not exist (their errback).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

PAGES = 5


class LeaseProbeSpider(scrapy.Spider):
    name = "leaseprobe"
    distributed_line_key = "id"

    def __init__(self, base: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        self.base = base

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(f"{self.base}page/1/", cb_kwargs={"page": 1})
        for n in range(1, PAGES + 1):
            yield scrapy.Request(f"{self.base}no-such-page-{n}.html", errback=self.failed)

    def parse(self, response: Response, page: int) -> Iterator[Any]:
        yield {"id": response.url, "leased_while_handled": self._leased(response.request), "handled_by": "callback"}
        if page < PAGES:
            yield scrapy.Request(f"{self.base}page/{page + 1}/", cb_kwargs={"page": page + 1})

    def failed(self, failure: Failure) -> Iterator[dict[str, Any]]:
        request = getattr(failure, "request", None) or failure.value.response.request
        yield {"id": request.url, "leased_while_handled": self._leased(request), "handled_by": "errback"}

    def _leased(self, request: scrapy.Request) -> bool:
        scheduler = self.crawler.engine.scheduler
        lease = scheduler.queue.leases.get(request)
        keys = scheduler.book.keys
        return lease is not None and bool(scheduler.server.hexists(keys.leases(scheduler.book.worker), lease.token))

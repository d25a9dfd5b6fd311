"""The spider's start() runs in one worker of a distributed crawl, not in each.

Every worker runs the same spider, and Scrapy 2.13+ feeds the engine from the spider's ``async def start()``.
Run everywhere, start requests marked ``dont_filter`` (the ``urls`` spider's: each listed URL gets its line)
would be fetched once per worker. The first worker to claim the crawl's seed key runs start() to its end and
marks it done; the others keep their start() open, and so stay in the crawl, until then. If the seeding worker
dies first, its claim is released when it is reaped and another worker runs start() again (the duplicate filter
drops what was queued already; ``dont_filter`` start requests may then be fetched twice).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task

from crawler.distributed.membership import DistributedWorker

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler


class SeedOnce:
    """Spider middleware: start() output passes in the worker that claimed the seeding, nowhere else."""

    def __init__(self, worker: DistributedWorker):
        self.worker = worker

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        worker = crawler.get_extension(DistributedWorker)
        if worker is None:
            raise NotConfigured("not a distributed crawl")
        return cls(worker)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        from twisted.internet import reactor

        book = self.worker.book
        while True:
            if book.claim_seed():
                try:
                    async for item_or_request in start:
                        yield item_or_request
                except Exception:
                    book.seed_done()  # Scrapy logs the error; the crawl goes on with what start() gave
                    raise
                except BaseException:
                    book.release_seed()  # stopped on the way (shutdown): another worker runs start() again
                    raise
                book.seed_done()
                return
            state = book.state()
            if state.seed == "done" or state.withdrawn:
                return
            await maybe_deferred_to_future(task.deferLater(reactor, self.worker.config.poll_seconds))

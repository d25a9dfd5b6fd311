"""JSON Lines of a distributed crawl: workers hand each line to Redis, one writer writes ``items.jsonl``.

A worker exports each scraped item with the project's JSON Lines exporter (the same bytes a single-process
crawl writes) and pushes it, tagged with the queued request it came from, to the crawl's ``lines`` list
(:class:`LinePublisher`, on ``item_scraped``: before the request's lease is acked, so a line is never lost with
its worker). The coordinator (:class:`LineWriter`) moves lines into ``lines:writing``, appends them to the job
folder's ``items.jsonl`` one unbuffered write per line, and only then lets them go. A line comes out once: a
request run again because its worker died gives a line from the same origin, which is dropped, and for spiders
whose lines are one per article id (``distributed_line_key``), a second line with an id already written is
dropped too (the same article reached under two URLs by two workers, each with its own memory of what it saw).
"""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import redis
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.misc import load_object

from crawler.distributed.crawljob import CrawlKeys
from crawler.distributed.membership import DistributedWorker

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

NO_ORIGIN = b"-"
_BATCH = 500
_MOVE_SOME = """
local moved = 0
for _ = 1, tonumber(ARGV[1]) do
  if not redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT') then break end
  moved = moved + 1
end
return moved
"""


class LinePublisher:
    """Pushes every scraped item, as its JSON line, to the crawl's ``lines`` list in Redis."""

    def __init__(self, crawler: Crawler, exporter_class: type):
        self.crawler = crawler
        self._worker: DistributedWorker | None = None
        self._buffer = io.BytesIO()
        self._exporter = exporter_class(self._buffer, encoding="utf-8")
        self._exporter.start_exporting()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.get("DISTRIBUTED_REDIS_URL"):
            raise NotConfigured("not a distributed crawl")
        exporter_class = load_object(crawler.settings.getwithbase("FEED_EXPORTERS")["jsonlines"])
        publisher = cls(crawler, exporter_class)
        crawler.signals.connect(publisher.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(publisher.item_scraped, signal=signals.item_scraped)
        return publisher

    def spider_opened(self) -> None:
        # Extensions cannot look each other up while they are being built; by now they all are.
        self._worker = self.crawler.get_extension(DistributedWorker)

    def item_scraped(self, item: Any, response: Any) -> None:
        assert self._worker is not None  # items come only while the spider is open
        self._exporter.export_item(item)
        line = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        request = response.request if isinstance(response, Response) else getattr(response, "request", None)
        origin = self.crawler.engine.scheduler.origin_of(request) if request is not None else None
        self._worker.server.rpush(self._worker.book.keys.lines,
                                  (origin.encode() if origin else NO_ORIGIN) + b" " + line)
        self.crawler.stats.inc_value("distributed/lines_published")


@dataclass
class LineCounts:
    """What the writer wrote, counted as the ``newsarchive/*`` article stats count it."""

    articles: int = 0
    comments: int = 0
    warnings: int = 0
    articles_with_warnings: int = 0
    duplicates: int = 0

    def as_stats(self) -> dict[str, int]:
        return {
            "newsarchive/articles": self.articles,
            "newsarchive/comments": self.comments,
            "newsarchive/warnings": self.warnings,
            "newsarchive/articles_with_warnings": self.articles_with_warnings,
            "distributed/duplicate_lines_dropped": self.duplicates,
        }


class LineWriter:
    """The one writer of a distributed crawl's ``items.jsonl``."""

    def __init__(self, server: redis.Redis, keys: CrawlKeys, path: Path, line_key: str | None):
        self.server = server
        self.keys = keys
        self.path = path
        self.line_key = line_key
        self.counts = LineCounts()
        self._origins: set[bytes] = set()
        self._ids: set[Any] = set()
        self._move = server.register_script(_MOVE_SOME)
        # Created now, so the job folder has its items.jsonl even when no line ever comes.
        self._file = path.open("ab", buffering=0)

    def drain(self, wait: float) -> int:
        """Write the lines waiting in Redis, waiting up to *wait* seconds for the first; how many came."""
        keys = self.keys
        if not self.server.llen(keys.lines_writing):
            if self.server.blmove(keys.lines, keys.lines_writing, wait, "LEFT", "RIGHT") is None:
                return 0
            self._move(keys=[keys.lines, keys.lines_writing], args=[_BATCH - 1])
        batch = self.server.lrange(keys.lines_writing, 0, -1)
        for entry in batch:
            self._write(entry)
        self.server.delete(keys.lines_writing)
        return len(batch)

    def drain_all(self) -> None:
        while self.server.llen(self.keys.lines) or self.server.llen(self.keys.lines_writing):
            self.drain(0.01)

    def close(self) -> None:
        self._file.close()

    def _write(self, entry: bytes) -> None:
        origin, _, line = entry.partition(b" ")
        article = json.loads(line)
        key = article.get(self.line_key) if self.line_key else None
        if (origin != NO_ORIGIN and origin in self._origins) or (key is not None and key in self._ids):
            self.counts.duplicates += 1
            logger.info("line %s came twice; written once", key or origin.decode())
            return
        self._file.write(line)
        if origin != NO_ORIGIN:
            self._origins.add(origin)
        if key is not None:
            self._ids.add(key)
        warnings = article.get("warnings") or []
        self.counts.articles += 1
        self.counts.comments += len(article.get("comments") or [])
        self.counts.warnings += len(warnings)
        self.counts.articles_with_warnings += bool(warnings)

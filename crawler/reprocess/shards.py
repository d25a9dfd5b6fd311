"""Where a reprocessing worker writes its share of the lines: a shard file that tells when it could not be written.

Scrapy's feed exporter meets a write error (a full disk, a file-size limit)
with a logged traceback and goes on, and the shard would reach the merge with
a line cut in the middle. This storage keeps the first error instead (the
``reprocess/shard_error`` stat: the file and what failed), drops what would
follow it, and stops the crawl, whose lines could no longer all be written;
the worker reports it and the run writes nothing (:mod:`crawler.reprocess.run`).
Shards are written buffered: a worker that dies takes its shard with it
anyway, so there is nothing to gain from writing line by line.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from scrapy.extensions.feedexport import FileFeedStorage
from scrapy.utils.defer import deferred_from_coro

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

SHARD_ERROR_STAT = "reprocess/shard_error"
_FINISH_REASON = "shard_write_failed"


class ShardStorage(FileFeedStorage):
    """A worker's shard file; a write that fails is noted in the crawler's stats and stops the crawl."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None, crawler: Crawler | None = None):
        super().__init__(uri, feed_options=feed_options)
        self.crawler = crawler
        self._stopping = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None) -> ShardStorage:
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider: Spider) -> IO[bytes]:
        # The shard folder is the run's: if it is gone, so is the run, and it is not made again.
        try:
            fh = Path(self.path).open(self.write_mode)
        except OSError as e:
            self.failed(e)
            return ShardFile(None, self.failed)  # type: ignore[return-value]
        return ShardFile(fh, self.failed)  # type: ignore[return-value]

    def store(self, file: IO[bytes]) -> None:
        file.close()

    def failed(self, error: OSError) -> None:
        """Note the first write error of the shard, and stop the crawl."""
        if self.crawler is None or self.crawler.stats is None:
            return
        if self.crawler.stats.get_value(SHARD_ERROR_STAT) is None:
            self.crawler.stats.set_value(SHARD_ERROR_STAT, f"cannot write {self.path}: {error.strerror or error}")
        engine = self.crawler.engine
        if self._stopping or engine is None or engine.spider is None:
            return
        self._stopping = True
        deferred_from_coro(engine.close_spider_async(reason=_FINISH_REASON)).addErrback(_not_stopped)


class ShardFile:
    """The file a shard's lines go to: the first write error goes to *on_error*, not up; what follows is dropped."""

    def __init__(self, fh: IO[bytes] | None, on_error: Any):
        self._fh = fh
        self._on_error = on_error

    def write(self, data: bytes) -> int:
        if self._fh is not None:
            try:
                return self._fh.write(data)
            except OSError as e:
                self._fail(e)
        return len(data)

    def flush(self) -> None:
        if self._fh is not None:
            try:
                self._fh.flush()
            except OSError as e:
                self._fail(e)

    def close(self) -> None:
        if self._fh is not None:
            fh, self._fh = self._fh, None
            try:
                fh.close()
            except OSError as e:
                self._on_error(e)

    def _fail(self, error: OSError) -> None:
        fh, self._fh = self._fh, None
        with suppress(OSError):  # the same error again, as the buffer is flushed once more
            fh.close()  # type: ignore[union-attr]
        self._on_error(error)


def _not_stopped(failure: Failure) -> None:
    logger.debug("the crawl of a shard that cannot be written was not stopped: %s", failure.getErrorMessage())

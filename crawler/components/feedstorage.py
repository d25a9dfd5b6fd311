"""Feed storage that leaves only complete JSON Lines behind: after a kill, a full disk or any failed write."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from scrapy.extensions.feedexport import FileFeedStorage
from scrapy.utils.defer import deferred_from_coro

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# Set (to what went wrong) once a feed write failed: the articles counted are the lines the file holds.
WRITE_FAILED_STAT = "feed/write_failed"


class LineFlushedFileStorage(FileFeedStorage):
    """A local-file feed opened unbuffered, whose writes land whole or not at all.

    Scrapy's line exporters write each item with one ``write()`` call; without
    a userspace buffer that call reaches the kernel whole, so a crawl killed
    with SIGKILL leaves every exported line complete and none half-written.
    A write that fails or is short (a full disk, a file-size limit) is cut back
    off the file, which then ends with its last whole line; the failure is
    logged once with the file and offset, kept in the ``feed/write_failed``
    stat, and the crawl is stopped: nothing more is written to the file.
    """

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None, crawler: Crawler | None = None):
        super().__init__(uri, feed_options=feed_options)
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None) -> Self:
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider: Spider) -> IO[bytes]:
        path = Path(self.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return WholeWritesFile(path.open(self.write_mode, buffering=0), path, self._failed)  # type: ignore[return-value]

    def _failed(self, message: str) -> None:
        logger.error("%s; stopping the crawl", message)
        if self.crawler is None:
            return
        self.crawler.stats.set_value(WRITE_FAILED_STAT, message)
        if self.crawler.engine is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="feed_write_failed"))


class WholeWritesFile:
    """An unbuffered binary file whose every ``write()`` is all written, or cut back off and refused from then on."""

    def __init__(self, raw: IO[bytes], path: Path, on_failure: Any):
        self._raw = raw
        self._path = path
        self._on_failure = on_failure
        self._end = os.fstat(raw.fileno()).st_size
        self.failed: str | None = None

    def write(self, data: bytes) -> int:
        if self.failed is not None:
            return 0  # the crawl is stopping; what is not written here is still in the WARC files
        view = memoryview(data)
        try:
            while view:
                written = self._raw.write(view)
                if not written:
                    raise OSError("the file system accepted no more bytes")
                view = view[written:]
        except OSError as e:
            self._fail(e)
            return 0
        self._end += len(data)
        return len(data)

    def _fail(self, error: OSError) -> None:
        try:
            os.ftruncate(self._raw.fileno(), self._end)
            cut = f"cut back to its last whole line at offset {self._end}"
        except OSError as e:
            cut = f"and cutting the partial line off at offset {self._end} failed too ({e.strerror or e})"
        self.failed = f"Cannot write {self._path} ({error.strerror or error}): {cut}"
        self._on_failure(self.failed)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)

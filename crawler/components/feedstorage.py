"""Feed storage that leaves only complete JSON Lines behind, even after a kill."""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING

from scrapy.extensions.feedexport import FileFeedStorage

if TYPE_CHECKING:
    from scrapy import Spider


class LineFlushedFileStorage(FileFeedStorage):
    """A local-file feed opened unbuffered.

    Scrapy's line exporters write each item with one ``write()`` call; without
    a userspace buffer that call reaches the kernel whole, so a crawl killed
    with SIGKILL leaves every exported line complete and none half-written.
    """

    def open(self, spider: Spider) -> IO[bytes]:
        path = Path(self.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.open(self.write_mode, buffering=0)

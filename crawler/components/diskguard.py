"""The free-space guard: a crawl stops cleanly before the disk it writes to is full.

A full disk in the middle of a write leaves a WARC file that must stay
unfinished and a crawl that stops with errors (see
:mod:`crawler.warc.writer`, :mod:`crawler.components.feedstorage`). Stopping
while there is still room is better: every file is finished properly, and
``newsarchive crawl … --resume JOB_DIR`` goes on once space is freed.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro

from crawler.components.jobfolder import job_of

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

SETTING = "ARCHIVE_MIN_FREE"
LOW_SPACE_STAT = "disk/low_space"


class FreeSpaceSettingError(ValueError):
    """``ARCHIVE_MIN_FREE`` is not a number of bytes."""


def min_free_bytes(value: Any) -> int:
    """The value of ``ARCHIVE_MIN_FREE``: a whole number of bytes, 0 turns the guard off."""
    try:
        number = int(str(value).strip().replace("_", ""))
    except ValueError as e:
        raise FreeSpaceSettingError(f"setting {SETTING} must be a whole number of bytes (0: no guard), "
                                    f"got {value!r}") from e
    if number < 0:
        raise FreeSpaceSettingError(f"setting {SETTING} must be 0 or more bytes, got {number}")
    return number


def megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


class FreeSpaceGuard:
    """Stops the crawl (reason ``disk_low``) when the disk of its job folder or WARC folder has less than
    ``ARCHIVE_MIN_FREE`` bytes free: checked when the spider opens and then with each response (a ``statvfs``
    call, about a microsecond: what one response adds to the disk is never more than a few of its own sizes)."""

    def __init__(self, crawler: Crawler, min_free: int):
        self.crawler = crawler
        self.min_free = min_free
        self.folders: list[Path] = []
        self._stopping = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        min_free = min_free_bytes(crawler.settings.get(SETTING, 0))  # a bad value: the crawl does not start
        if not min_free:
            raise NotConfigured(f"{SETTING} is 0")
        guard = cls(crawler, min_free)
        crawler.signals.connect(guard.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(guard.check, signal=signals.response_received)
        return guard

    def spider_opened(self) -> None:
        folders = [job_of(self.crawler).dir]
        if warc_dir := self.crawler.settings.get("WARC_DIR"):
            folders.append(Path(warc_dir))
        self.folders = folders
        self.check()

    def check(self) -> None:
        if self._stopping:
            return
        for folder in self.folders:
            try:
                free = shutil.disk_usage(folder if folder.exists() else folder.parent).free
            except OSError:
                continue  # a folder not made yet; its writer will say what is wrong
            if free < self.min_free:
                self._stop(folder, free)
                return

    def _stop(self, folder: Path, free: int) -> None:
        self._stopping = True
        message = (f"only {megabytes(free)} free on the disk of {folder} ({SETTING} is {megabytes(self.min_free)}): "
                   "the crawl stops before the disk is full; free some space and resume it with "
                   f"newsarchive crawl … --resume {job_of(self.crawler).dir}")
        logger.error("%s", message)
        self.crawler.stats.set_value(LOW_SPACE_STAT, message)
        if self.crawler.engine is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="disk_low"))

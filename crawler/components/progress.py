"""A live crawl's progress: one line redrawn on a terminal, a log line now and then otherwise.

Replaces Scrapy's ``LogStats`` (one line a minute, pages and items only)
with what a person watching a news crawl asks: pages fetched and their rate,
articles and comments written, errors so far. ``PROGRESS_MODE``: ``bar`` (a
rich status line on standard error, redrawn every ``PROGRESS_INTERVAL``
seconds), ``log`` (an INFO log line every ``PROGRESS_LOG_INTERVAL``
seconds), ``none``, or ``auto`` (``bar`` when standard error is a terminal,
else ``log``). The counts are the crawl's own stats, read, never kept apart.
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

MODES = ("auto", "bar", "log", "none")


@dataclass(frozen=True)
class Snapshot:
    """The counts shown, at one moment of the crawl."""

    pages: int
    articles: int
    comments: int
    errors: int
    elapsed: float

    @classmethod
    def of(cls, stats: dict[str, Any], elapsed: float) -> Snapshot:
        errors = (stats.get("log_count/ERROR", 0) + stats.get("spider_exceptions/count", 0)
                  + stats.get("downloader/exception_count", 0) - stats.get("robotstxt/forbidden", 0))
        return cls(stats.get("downloader/response_count", 0), stats.get("newsarchive/articles", 0),
                   stats.get("newsarchive/comments", 0), max(0, errors), elapsed)

    def line(self, since: Snapshot | None = None) -> str:
        """``pages 120 (35.2/s), articles 80, comments 1204, errors 0, 3.4 s``: the rate since *since* (or start)."""
        base = since or Snapshot(0, 0, 0, 0, 0.0)
        span = self.elapsed - base.elapsed
        rate = (self.pages - base.pages) / span if span > 0 else 0.0
        return (f"pages {self.pages} ({rate:.1f}/s), articles {self.articles}, comments {self.comments}, "
                f"errors {self.errors}, {self.elapsed:.0f} s")


class CrawlProgress:
    """Shows a crawl's progress (see the module docstring); one per crawler."""

    def __init__(self, stats: StatsCollector, mode: str, interval: float, log_interval: float):
        self.stats = stats
        self.mode = mode
        self.interval = interval if mode == "bar" else log_interval
        self.started = 0.0
        self.last: Snapshot | None = None
        self.loop: task.LoopingCall | None = None
        self.live: Any = None
        self.redirected: list[tuple[logging.StreamHandler, Any]] = []  # log handlers writing above the line

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        settings = crawler.settings
        mode = settings.get("PROGRESS_MODE", "auto")
        if mode not in MODES:
            raise NotConfigured(f"PROGRESS_MODE must be one of {', '.join(MODES)}, not {mode!r}")
        if mode == "auto":
            mode = "bar" if sys.stderr.isatty() else "log"
        if mode == "none":
            raise NotConfigured("PROGRESS_MODE is none")
        assert crawler.stats is not None
        extension = cls(crawler.stats, mode, settings.getfloat("PROGRESS_INTERVAL", 0.5),
                        settings.getfloat("PROGRESS_LOG_INTERVAL", 30.0))
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_started(self) -> None:
        self.started = time.monotonic()
        if self.mode == "bar":
            from rich.console import Console
            from rich.live import Live

            self.live = Live("", console=Console(stderr=True), refresh_per_second=4, redirect_stderr=True)
            self.live.start()
            self._log_above_the_line()
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=False)

    def _log_above_the_line(self) -> None:
        """Log handlers on the terminal write through rich (sys.stderr is its proxy now), above the status line."""
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream is sys.__stderr__:
                self.redirected.append((handler, handler.setStream(sys.stderr)))

    def snapshot(self) -> Snapshot:
        return Snapshot.of(self.stats.get_stats(), time.monotonic() - self.started)

    def show(self) -> None:
        now = self.snapshot()
        if self.live is not None:
            self.live.update(f"[bold]crawling[/bold] {now.line()}")
        else:
            logger.info("progress: %s", now.line(self.last))
        self.last = now

    def engine_stopped(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.live is not None:
            self.live.update(f"[bold]crawled[/bold] {self.snapshot().line()}")
            self.live.stop()
            for handler, stream in self.redirected:
                handler.setStream(stream)
        else:
            logger.info("progress: finished: %s", self.snapshot().line())

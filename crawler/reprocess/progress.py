"""How far a reprocessing run has got: a rich progress bar on a terminal, periodic log lines otherwise.

Two phases: reading the WARCs into the index (records/s), then replaying them
through the spider (articles/s against the number of starting points, and
records/s for the responses replayed). The run reports absolute counts; rates
are worked out here.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

logger = logging.getLogger(__name__)

PROGRESS_MODES = ("auto", "bar", "log", "none")
LOG_INTERVAL = 10.0  # seconds between log lines when not on a terminal


class Reporter:
    """Receives counts; shows nothing (``progress="none"``)."""

    def phase(self, name: str, total: int | None = None) -> None:
        """A new phase starts: ``index`` (reading the WARCs) or ``replay`` (*total* starting points)."""

    def update(self, records: int, articles: int = 0) -> None:
        """Counts so far in this phase: records read or replayed, articles written."""

    def close(self) -> None:
        """The run is over."""


class LogReporter(Reporter):
    """A line on *stream* every :data:`LOG_INTERVAL` seconds and at the end of each phase."""

    def __init__(self, stream: TextIO, interval: float = LOG_INTERVAL, clock: Callable[[], float] = time.monotonic):
        self.stream = stream
        self.interval = interval
        self.clock = clock
        self._phase = ""
        self._total: int | None = None
        self._started = self._last = 0.0
        self._counts = (0, 0)

    def phase(self, name: str, total: int | None = None) -> None:
        self._finish_phase()
        self._phase, self._total = name, total
        self._started = self._last = self.clock()
        self._counts = (0, 0)

    def update(self, records: int, articles: int = 0) -> None:
        self._counts = (records, articles)
        now = self.clock()
        if now - self._last >= self.interval:
            self._last = now
            self._write(now)

    def close(self) -> None:
        self._finish_phase()
        self._phase = ""

    def line(self, now: float) -> str:
        """``replay: 340 of 1000 articles, 1400 records (120.0 articles/s, 500.0 records/s)``."""
        records, articles = self._counts
        elapsed = max(now - self._started, 1e-9)
        if self._phase == "index":
            return f"index: {records} records read ({records / elapsed:.1f} records/s)"
        of_total = f" of {self._total}" if self._total is not None else ""
        return (f"{self._phase}: {articles}{of_total} articles, {records} records "
                f"({articles / elapsed:.1f} articles/s, {records / elapsed:.1f} records/s)")

    def _finish_phase(self) -> None:
        if self._phase:
            self._write(self.clock())

    def _write(self, now: float) -> None:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        print(f"{stamp} [newsarchive.reprocess] {self.line(now)}", file=self.stream, flush=True)


class BarReporter(Reporter):
    """A rich progress bar per phase, with records/s and articles/s."""

    def __init__(self, stream: TextIO):
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rates]}"), TimeElapsedColumn(),
            # Redrawn from update() in the calling thread: no refresh thread may hold a lock when workers fork.
            console=Console(file=stream), transient=False, auto_refresh=False,
        )
        self.progress.start()
        self._task: TaskID | None = None
        self._phase = ""
        self._started = 0.0

    def phase(self, name: str, total: int | None = None) -> None:
        self._finish_task()
        self._phase = name
        self._started = time.monotonic()
        description = "reading WARCs" if name == "index" else "reprocessing"
        self._task = self.progress.add_task(description, total=total, rates="")

    def update(self, records: int, articles: int = 0) -> None:
        if self._task is None:
            return
        elapsed = max(time.monotonic() - self._started, 1e-9)
        if self._phase == "index":
            self.progress.update(self._task, completed=records, rates=f"{records / elapsed:.0f} records/s")
        else:
            rates = f"{articles / elapsed:.1f} articles/s, {records / elapsed:.0f} records/s"
            self.progress.update(self._task, completed=articles, rates=rates)
        self.progress.refresh()

    def close(self) -> None:
        self._finish_task()
        self.progress.stop()

    def _finish_task(self) -> None:
        """Stop the phase's clock; a count without a known total becomes its total (a full bar)."""
        if self._task is None:
            return
        task = self.progress.tasks[self._task]
        if task.total is None:
            self.progress.update(self._task, total=task.completed)
        self.progress.stop_task(self._task)
        self._task = None


def make_reporter(mode: str = "auto", stream: TextIO | None = None) -> Reporter:
    """The reporter for *mode*: ``auto`` (a bar on a terminal, log lines otherwise), ``bar``, ``log``, ``none``."""
    if mode not in PROGRESS_MODES:
        raise ValueError(f"progress must be one of {', '.join(PROGRESS_MODES)}, got {mode!r}")
    stream = stream or sys.stderr
    if mode == "auto":
        mode = "bar" if stream.isatty() else "log"
    if mode == "bar":
        return BarReporter(stream)
    if mode == "log":
        return LogReporter(stream)
    return Reporter()

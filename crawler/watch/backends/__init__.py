"""Where a watch's crawls run: local processes (the default), a scrapyd server, or workers sharing a Redis.

A backend starts the crawl of a prepared run (:class:`crawler.watch.runs.RunSpec`:
spider, arguments, settings naming the archive and job folder) and hands back
an :class:`ActiveRun` to wait on or stop. Every backend's crawl writes into the
same job folder, so finishing a run is the same whichever ran it.
"""

from __future__ import annotations

from typing import Protocol

from crawler.watch.runs import RunSpec


class ActiveRun(Protocol):
    """A crawl under way."""

    ref: str  # the backend's name for it: a process id, a scrapyd job id

    def wait(self, timeout: float) -> int | None:
        """Its exit status once it has ended (None for a backend that has none), waiting up to *timeout* s;
        raises TimeoutError while it is still running."""

    def stop(self) -> None:
        """Ask the crawl to stop cleanly (once; Scrapy closes its WARCs and lines)."""


class Backend(Protocol):
    name: str
    inherits_lock: bool  # the crawl holds the job lock until it ends, even if the scheduler dies
    resumes: bool  # the retry of an interrupted run can go on in its job folder (newsarchive crawl --resume)

    def start(self, spec: RunSpec, lock_fd: int | None) -> ActiveRun: ...

    def still_running(self, ref: str) -> bool:
        """Whether a crawl this backend started (by an earlier scheduler) is still under way."""

    def stop_orphan(self, ref: str) -> None:
        """Stop a crawl an earlier scheduler started and left running."""

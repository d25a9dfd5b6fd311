"""Crawl processes started by another process (a watch's scheduler, a distributed crawl's coordinator): started
in a session of their own, stopped cleanly and only once when their parent ends, however it ends.

A child asks the kernel (``PR_SET_PDEATHSIG``, Linux) for a signal when its parent dies, even by SIGKILL. The
kernel sends it when the parent *thread* ends, and again each time the orphan is handed on to the next thread of
a dying multi-threaded parent (a watch's scheduler runs each job in a thread of its own): the signal can come
several times within a millisecond. Scrapy takes a second SIGTERM as "force an unclean stop", which leaves the WARC
files ``.open``; so the parent-death signal is SIGHUP (a hang-up: the terminal, or the process that started the
crawl, is gone), and :func:`stop_cleanly_on_hangup` makes the first one a graceful stop and ignores the rest.
The parent itself stops a child with exactly one SIGTERM.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.crawler import CrawlerProcess

logger = logging.getLogger(__name__)

PARENT_ENV = "NEWSARCHIVE_PARENT_PID"  # the parent's pid, to find out whether it died before the handler was set
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_OPENING_POLL_SECONDS = 0.05

# Looked up here, in the parent: the child of a threaded parent must not load libraries between fork and exec.
try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None
except (OSError, AttributeError):
    _prctl = None


def ask_parent_death_signal(signum: int) -> bool:
    """In a child, after fork: have the kernel send *signum* when the parent ends (False where it cannot)."""
    return _prctl is not None and _prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0


def _before_exec() -> None:
    # Ignored until the child sets its handler (an ignored signal stays ignored across exec), so a parent that
    # dies while the child is still starting cannot kill it halfway; the child then finds the parent gone.
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    ask_parent_death_signal(signal.SIGHUP)


def start_child(command: Sequence[str], log: IO[bytes], *, pass_fds: Sequence[int] = ()) -> subprocess.Popen[bytes]:
    """Start *command*, its output into *log*, in a session of its own (a Ctrl-C in the parent's terminal reaches
    the parent alone, which then stops the child with one SIGTERM), sent SIGHUP when this process ends."""
    return subprocess.Popen(
        list(command), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, pass_fds=tuple(pass_fds),
        start_new_session=True, preexec_fn=_before_exec,  # noqa: PLW1509 (nothing is imported in it)
        env={**os.environ, "PYTHONUNBUFFERED": "1", PARENT_ENV: str(os.getpid())},
    )


@contextmanager
def stopping_cleanly_on_hangup(process: CrawlerProcess) -> Iterator[None]:
    """While entered, in the main thread of a crawl: the first SIGHUP stops *process*'s crawls gracefully (as
    Scrapy's first SIGTERM does: WARCs closed, lines whole), later ones are ignored; at once if the process that
    started this one is gone already."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    stopping = False

    def hang_up(signum: int, frame: object) -> None:
        nonlocal stopping
        # A second SIGHUP can be pending before the first handler has run its first line: the flag, not SIG_IGN
        # alone, makes it one stop (handlers run one after the other in the main thread).
        if stopping:
            return
        stopping = True
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        from twisted.internet import reactor  # the one CrawlerProcess installed (imported late for that)

        logger.warning("hang-up (the terminal or the process that started this one is gone): stopping cleanly")
        reactor.callFromThread(_stop_once_running, process)

    previous = signal.signal(signal.SIGHUP, hang_up)
    try:
        parent = os.environ.get(PARENT_ENV)
        if parent and parent.isdigit() and os.getppid() != int(parent):
            hang_up(signal.SIGHUP, None)
        yield
    finally:
        signal.signal(signal.SIGHUP, previous)


def _stop_once_running(process: CrawlerProcess) -> None:
    """Stop *process*'s crawls gracefully; a crawl whose engine is still opening would not take the stop (Scrapy
    drops it), so wait for the engine to run first."""
    from twisted.internet import reactor

    # Crawler._engine is what Scrapy's docs say to read before the crawl has started.
    if any(crawler.crawling and (crawler._engine is None or not crawler._engine.running)  # noqa: SLF001
           for crawler in process.crawlers):
        reactor.callLater(_OPENING_POLL_SECONDS, _stop_once_running, process)
        return
    process.stop()

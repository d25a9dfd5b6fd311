"""How a reprocessing run stops early: a signal to its parent, and processes that never outlive that parent.

SIGINT (Ctrl-C) or SIGTERM to the parent ends the run where it is
(:class:`StopSignals` raises :class:`~crawler.runs.outcome.RunInterrupted`):
the run's processes are killed (their work would be thrown away), its
temporary files removed, nothing is written and the previous output is left
as it was. Further signals while that happens are ignored, so the cleaning
up is not cut short.

Every process the run forks (index scanners, replay workers) calls
:func:`forked` first: it dies with the parent, even one killed with SIGKILL
(``PR_SET_PDEATHSIG`` on Linux, with SIGKILL: unlike a crawl started by a
scheduler, :mod:`crawler.runs.children`, which stops gracefully, what it
would still do is of no use without its parent; elsewhere a thread that
waits for the parent's end), and takes the default action on a stop signal until it sets
its own (Scrapy's graceful stop). Processes are forked with the stop signals
held back (:func:`signals_held`): a signal that arrives meanwhile reaches the
parent once every process started is known to it, and the child once it can
handle it.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing import parent_process
from multiprocessing.connection import wait
from types import FrameType, TracebackType
from typing import Any

from crawler.runs.children import ask_parent_death_signal
from crawler.runs.outcome import RunInterrupted

logger = logging.getLogger(__name__)

STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


class StopSignals:
    """While entered (in the main thread): the first SIGINT or SIGTERM raises :class:`RunInterrupted`, once.

    Outside the main thread, where Python cannot handle signals, it does nothing.
    """

    def __init__(self) -> None:
        self.signum: int | None = None
        self._pid = os.getpid()
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in STOP_SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if os.getpid() != self._pid:
            # A forked process that has not set its own handlers yet: the signal does what it does by default.
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        if self.signum is not None:
            logger.debug("%s ignored: the run is stopping already", signal.Signals(signum).name)
            return
        self.signum = signum
        raise RunInterrupted(signum)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold the stop signals back while processes are forked (they start with them blocked: see :func:`forked`)."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def forked(parent: int | None) -> None:
    """First thing in a process forked by the run (*parent*: the run's pid; ``None``: whichever process forked this
    one, a fork server's child): see the module docstring."""
    die_with_parent(os.getppid() if parent is None else parent)
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def die_with_parent(parent: int) -> None:
    """Have this process killed when the process *parent* ends, however it ends."""
    # SIGKILL: the work of a process whose parent is gone would be thrown away, and it comes to the same however
    # often the kernel sends it (once per thread of a dying threaded parent).
    if ask_parent_death_signal(signal.SIGKILL):
        if os.getppid() != parent:  # the parent ended before the kernel was asked: nobody is left to tell
            os._exit(1)
        return
    if os.getppid() != parent:
        os._exit(1)
    watched = parent_process()
    if watched is not None and watched.sentinel is not None:
        threading.Thread(target=_exit_when_ended, args=(watched.sentinel,), name="parent-watch", daemon=True).start()


def _exit_when_ended(sentinel: int) -> None:
    wait([sentinel])  # readable once the parent's end of the pipe is closed: the parent is gone
    os._exit(1)

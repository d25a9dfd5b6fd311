"""Job locks: one run of a job at a time, across every scheduler working on the same archive folder.

A lock is ``flock`` on ``watch-locks/JOB.lock`` in the archive folder. A local
crawl inherits the locked file descriptor, so a crawl that outlives a killed
scheduler still holds the lock until it has stopped, and a scheduler started
meanwhile waits for it instead of starting a second run.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

LOCK_FOLDER = "watch-locks"
_POLL_SECONDS = 0.2


class JobLock:
    """The lock of *job* in *archive_dir*; not held until :meth:`try_acquire` or :meth:`acquire` says so."""

    def __init__(self, archive_dir: Path, job: str):
        folder = archive_dir / LOCK_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{job}.lock"
        self.fd: int | None = None

    def try_acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def acquire(self, timeout: float, stop: threading.Event | None = None) -> bool:
        """Wait up to *timeout* seconds (or until *stop* is set) for the lock."""
        deadline = time.monotonic() + timeout
        while not self.try_acquire():
            if time.monotonic() >= deadline or (stop is not None and stop.is_set()):
                return False
            (stop or threading.Event()).wait(_POLL_SECONDS)
        return True

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the scheduler's copy; an inheriting crawl's copy holds it until it exits
            self.fd = None

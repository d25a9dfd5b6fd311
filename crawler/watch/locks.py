"""Job locks: one run of a job at a time, across every scheduler working on the same archive folder.

A lock is ``flock`` on ``watch-locks/JOB.lock`` in the archive folder. A local
crawl inherits the locked file descriptor, so a crawl that outlives a killed
scheduler still holds the lock until it has stopped, and a scheduler started
meanwhile waits for it instead of starting a second run.
"""

from __future__ import annotations

from pathlib import Path

from crawler.domain.jobstate import FileLock

LOCK_FOLDER = "watch-locks"


class JobLock(FileLock):
    """The lock of *job* in *archive_dir*; not held until :meth:`try_acquire` or :meth:`acquire` says so."""

    def __init__(self, archive_dir: Path, job: str):
        folder = archive_dir / LOCK_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(folder / f"{job}.lock")

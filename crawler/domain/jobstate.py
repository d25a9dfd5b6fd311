"""What a job folder says about the crawl that made it: its manifest (``job.json``), and the lock its crawl holds.

``newsarchive crawl`` writes ``job.json`` when a crawl starts: the spider, its
arguments and the settings it was given, when it started, and that it is
``running``; when the crawl ends, how it ended (Scrapy's finish reason:
``finished``, ``shutdown`` after Ctrl-C or SIGTERM, ``disk_low``,
``warc_write_failed``…). A crawl that was killed (SIGKILL, a power cut) leaves
``running`` behind. ``newsarchive crawl … --resume JOB_DIR`` reads it to run the
same crawl again in the same folder, and adds an entry to ``resumes``.

While a crawl runs, it holds an exclusive ``flock`` on ``job.lock`` in its job
folder: the kernel lets go of it when the process ends, however it ends, so
a lock that can be taken means no crawl is writing into the folder.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from crawler.domain.outputs import write_json

MANIFEST_FILENAME = "job.json"
LOCK_FILENAME = "job.lock"
MANIFEST_FORMAT = 1
RUNNING = "running"
# How a crawl that need not be resumed ends: it finished, or stopped at a limit it was given.
COMPLETE_REASONS = ("finished", "closespider_pagecount", "closespider_timeout", "closespider_itemcount",
                    "closespider_errorcount")
_POLL_SECONDS = 0.1


class ManifestError(ValueError):
    """A job folder holds no readable manifest."""


@dataclass
class JobManifest:
    """A crawl's spider, arguments and settings, and how it went (see the module docstring)."""

    spider: str
    arguments: dict[str, str]
    settings: dict[str, Any]
    started_at: str
    status: str = RUNNING
    ended_at: str | None = None
    resumes: list[dict[str, Any]] = field(default_factory=list)
    format: int = MANIFEST_FORMAT

    @property
    def complete(self) -> bool:
        """Whether the crawl ended as it was meant to (nothing left to resume)."""
        return self.status in COMPLETE_REASONS

    @classmethod
    def read(cls, job_dir: Path) -> JobManifest:
        path = job_dir / MANIFEST_FILENAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as e:
            raise ManifestError(f"{job_dir} holds no {MANIFEST_FILENAME}") from e
        except OSError as e:
            raise ManifestError(f"cannot read {path}: {e.strerror or e}") from e
        except ValueError as e:
            raise ManifestError(f"{path} is not JSON: {e}") from e
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            raise ManifestError(f"{path} is not a job manifest of format {MANIFEST_FORMAT}")
        try:
            return cls(**data)
        except TypeError as e:
            raise ManifestError(f"{path} is not a job manifest: {e}") from e

    def write(self, job_dir: Path) -> None:
        write_json(job_dir / MANIFEST_FILENAME, asdict(self))


class FileLock:
    """An exclusive ``flock`` on *path* (created if missing); not held until :meth:`try_acquire` or :meth:`acquire`."""

    def __init__(self, path: Path):
        self.path = path
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
            os.close(self.fd)  # this process's copy; a child that inherited it holds the lock until it exits
            self.fd = None


def job_lock(job_dir: Path) -> FileLock:
    """The lock a crawl holds on its job folder while it runs."""
    return FileLock(job_dir / LOCK_FILENAME)

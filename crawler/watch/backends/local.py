"""The default backend: each run is ``python -m crawler crawl …``, a process of its own on this machine.

The crawl is the ordinary command, so its job folder and summary are the run's
record (its output goes to ``crawl.log`` in the job folder). It runs in a
session of its own, so a Ctrl-C in the scheduler's terminal reaches the
scheduler alone, which then stops the crawl with one SIGTERM (Scrapy's
graceful stop: WARCs closed, lines whole; a second signal would force it). It
inherits the job lock, and stops as cleanly if the scheduler dies
(:mod:`crawler.runs.children`).
"""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
from typing import Any

from crawler.runs.children import start_child
from crawler.watch.runs import RunSpec

logger = logging.getLogger(__name__)

LOG_FILENAME = "crawl.log"


def setting_text(value: Any) -> str:
    """A setting as ``-s NAME=VALUE`` text that Scrapy reads back as the same value."""
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def crawl_command(spec: RunSpec) -> list[str]:
    command = [sys.executable, "-m", "crawler", "crawl", spec.job.spider, "--out", str(spec.archive_dir)]
    if spec.resumes:
        command += ["--resume", str(spec.job_dir)]
    for name, value in spec.spider_args.items():
        command += ["-a", f"{name}={value}"]
    for name, value in spec.settings.items():
        command += ["-s", f"{name}={setting_text(value)}"]
    return command


class LocalRun:
    """A crawl process."""

    def __init__(self, process: subprocess.Popen[bytes]):
        self.process = process
        self.ref = str(process.pid)
        self._stopped = False

    def wait(self, timeout: float) -> int | None:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired as e:
            raise TimeoutError from e

    def stop(self) -> None:
        if not self._stopped and self.process.poll() is None:
            self._stopped = True
            self.process.send_signal(signal.SIGTERM)


class LocalBackend:
    """Runs crawls as local processes."""

    name = "local"
    inherits_lock = True
    resumes = True

    def command(self, spec: RunSpec) -> list[str]:
        return crawl_command(spec)

    def start(self, spec: RunSpec, lock_fd: int | None) -> LocalRun:
        command = self.command(spec)
        with (spec.job_dir / LOG_FILENAME).open("ab") as log:
            process = start_child(command, log, pass_fds=(lock_fd,) if lock_fd is not None else ())
        logger.info("run %s of %s: crawl started (pid %s): %s", spec.run.id, spec.job.name, process.pid,
                    " ".join(command))
        return LocalRun(process)

    def still_running(self, ref: str) -> bool:
        # The crawl holds the job lock while it lives: whoever holds the lock now knows it has ended.
        return False

    def stop_orphan(self, ref: str) -> None:
        pass

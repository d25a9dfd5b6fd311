"""``newsarchive demo``: serve the bundled replica site and crawl it, end to end, offline.

:func:`start_replica` is also how tests and benchmarks run the replica: in a
child process of its own (so it has a core to itself), on a free port of
127.0.0.1, its URL read from the first line it prints.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from crawler.runs.crawl import LOCAL_SITE_SETTINGS, CrawlResult, check_crawl_setup, run_crawl
from crawler.runs.outcome import RunFailed

STARTUP_SECONDS = 20.0  # for the replica to print its URL (it takes well under one)
STOP_SECONDS = 10.0


class ReplicaStartError(RunFailed):
    """The replica server did not come up."""


@dataclass
class ReplicaProcess:
    """A running ``python -m crawler.replica``: its base URL (ending in ``/``), process and request log."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    temporary_log: bool = False

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        if self.temporary_log:
            self.log_path.unlink(missing_ok=True)


def start_replica(*, port: int = 0, seed: int | None = None, articles: int | None = None,
                  now: datetime | None = None, log_path: Path | None = None,
                  options: Sequence[str] = (), latency_ms: float | None = None) -> ReplicaProcess:
    """Start the replica site; its request log goes to *log_path* (default: a temporary file).

    *options* are further command-line options of ``python -m crawler.replica``
    (``--site ru``, ``--theme dle14``, ``--clock TIME``…); *latency_ms* delays every answer.
    """
    command = [sys.executable, "-m", "crawler.replica", "--port", str(port), *options]
    for option, value in (("--seed", seed), ("--articles", articles), ("--now", now and now.isoformat()),
                          ("--latency", latency_ms)):
        if value is not None:
            command += [option, str(value)]
    temporary_log = log_path is None
    if log_path is None:
        handle, name = tempfile.mkstemp(prefix="replica-", suffix=".log")
        os.close(handle)
        log_path = Path(name)
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
    line = _first_line(process)
    if not line.startswith("http://"):
        process.kill()
        process.wait()
        said = log_path.read_text(errors="replace").strip().splitlines()[-1:] or [f"exit status {process.returncode}"]
        if temporary_log:
            log_path.unlink(missing_ok=True)
        raise ReplicaStartError(f"the replica site did not start: {said[0]}")
    return ReplicaProcess(line, process, log_path, temporary_log)


def _first_line(process: subprocess.Popen[bytes]) -> str:
    """The first line *process* prints, or what it printed before it ended or the start-up time ran out."""
    assert process.stdout is not None
    deadline = time.monotonic() + STARTUP_SECONDS
    line = b""
    while not line.endswith(b"\n"):
        ready, _, _ = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(process.stdout.fileno(), 256) if ready else b""
        if not chunk:
            break
        line += chunk
    return line.decode(errors="replace").strip()


@contextmanager
def replica_server(**options: object) -> Iterator[ReplicaProcess]:
    """:func:`start_replica` for a ``with`` block; the site stops at its end."""
    replica = start_replica(**options)  # type: ignore[arg-type]
    try:
        yield replica
    finally:
        replica.stop()


def run_demo(archive_dir: str | Path = "archive", *, max_articles: int | None = None,
             settings: dict | None = None) -> CrawlResult:
    """Crawl the whole replica site with the ``topwar`` spider into ``archive_dir/{date}-demo``.

    Bad arguments raise :class:`~crawler.runs.outcome.RunRefused` before the site is started; a replica that
    does not start raises :class:`ReplicaStartError`.
    """
    spider_args = {} if max_articles is None else {"max_articles": str(max_articles)}
    crawl_settings = {**LOCAL_SITE_SETTINGS, **(settings or {})}
    check_crawl_setup("topwar", {**spider_args, "start_urls": "http://127.0.0.1/"}, crawl_settings)
    with replica_server() as replica:
        return run_crawl("topwar", spider_args={**spider_args, "start_urls": replica.url}, archive_dir=archive_dir,
                         job_name="demo", settings=crawl_settings)

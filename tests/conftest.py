"""Shared fixtures: the replica site, served by a real process on 127.0.0.1."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from crawler.replica.clock import MSK

STARTUP_TIMEOUT = 20.0  # seconds for the server to print its URL (it takes well under one)


@dataclass
class ReplicaServer:
    """A running ``python -m crawler.replica``: its base URL (ending in ``/``), clock anchor and seed."""

    url: str
    anchor: datetime
    seed: int | None
    process: subprocess.Popen
    log_path: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def start_replica(
    log_path: Path, seed: int | None = None, anchor: datetime | None = None, articles: int | None = None
) -> ReplicaServer:
    """Start a replica server on a free port; *anchor* defaults to this minute in Moscow time.

    *articles* is the number of stories on the main listing (default: the replica's 200).
    """
    anchor = anchor or datetime.now(MSK).replace(second=0, microsecond=0)
    args = [sys.executable, "-m", "crawler.replica", "--port", "0", "--now", anchor.isoformat()]
    if seed is not None:
        args += ["--seed", str(seed)]
    if articles is not None:
        args += ["--articles", str(articles)]
    log = log_path.open("wb")
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, cwd=Path(__file__).parent.parent,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})  # fmt: skip
    log.close()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    line = b""
    while not line.endswith(b"\n"):
        ready, _, _ = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(process.stdout.fileno(), 256) if ready else b""
        if not chunk:
            process.kill()
            process.wait()
            raise RuntimeError(f"replica server printed no URL: {log_path.read_text(errors='replace')[-2000:]}")
        line += chunk
    return ReplicaServer(line.decode().strip(), anchor, seed, process, log_path)


@pytest.fixture(scope="session")
def replica(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplicaServer]:
    """The replica site with the default seed, anchored at the session's start; shared by all tests."""
    server = start_replica(tmp_path_factory.mktemp("replica") / "access.log")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def own_replica(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplicaServer]:
    """A replica for one test module alone: the one-time 503 comment page is then part of that module's crawl."""
    server = start_replica(tmp_path_factory.mktemp("own-replica") / "access.log")
    yield server
    server.stop()

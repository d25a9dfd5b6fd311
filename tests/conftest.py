"""Shared fixtures: the replica site, served by a real process on 127.0.0.1."""

from __future__ import annotations

# First of all, before any library is imported: the per-user folders of this session and its child processes.
from userfolders import redirect_user_folders

redirect_user_folders()

import os  # noqa: E402 -- after the redirection above, as every import below
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

import crawler.runs.demo
from crawler.runs.demo import ReplicaProcess
from crawler.replica.clock import MSK
from redisserver import RedisServer, start_redis, stop_redis


# Test input written by others (real WARCs, real news pages): read where it lies, never copied here.
SHARED = Path(os.environ.get("NEWSARCHIVE_SHARED") or Path(__file__).resolve().parents[2] / "shared")


@dataclass
class ReplicaServer:
    """A running replica site: base URL (ending in ``/``), clock anchor, seed, and the process behind them."""

    url: str
    anchor: datetime
    seed: int | None
    running: ReplicaProcess

    def stop(self) -> None:
        self.running.stop()


def start_replica(
    log_path: Path, seed: int | None = None, anchor: datetime | None = None, articles: int | None = None,
    options: Sequence[str] = (),
) -> ReplicaServer:
    """Start a replica server on a free port; *anchor* defaults to this minute in Moscow time.

    *articles* is the number of stories on the main listing (default: the replica's 200); *options* are
    further options of ``python -m crawler.replica`` (a site, a theme…).
    """
    anchor = anchor or datetime.now(MSK).replace(second=0, microsecond=0)
    running = crawler.runs.demo.start_replica(seed=seed, articles=articles, now=anchor, log_path=log_path,
                                              options=options)
    return ReplicaServer(running.url, anchor, seed, running)


@pytest.fixture(scope="session")
def pywb_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pywb's virtual environment (installed once): ``$NEWSARCHIVE_PYWB_VENV`` (``.ci/run`` names one outside
    $HOME), else one in this session's temporary folder; never the user's cache."""
    from crawler.replay import VENV_ENV, ReplayError, ensure_pywb

    venv = Path(os.environ[VENV_ENV]) if os.environ.get(VENV_ENV) else tmp_path_factory.mktemp("pywb") / "venv"
    try:
        ensure_pywb(venv)
    except ReplayError as e:
        tool_missing(str(e))
    return venv


def tool_missing(reason: str) -> None:
    """Skip a test whose outside tool (pywb, Chromium) is missing; fail it under ``.ci/run``, which installs them
    (``NEWSARCHIVE_CI``), so that CI never passes by skipping."""
    if os.environ.get("NEWSARCHIVE_CI"):
        pytest.fail(f"{reason} (NEWSARCHIVE_CI is set: .ci/run was to provide it)")
    pytest.skip(reason)


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


@pytest.fixture(scope="session", autouse=True)
def temporary_files_stay_in_the_test_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Temporary files the code under test makes (and its child processes) go under pytest's folder too."""
    folder = tmp_path_factory.mktemp("tmp")
    saved = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(folder)
    tempfile.tempdir = None  # computed again from TMPDIR
    yield
    if saved is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = saved
    tempfile.tempdir = None


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server for one test module (tests/redisserver.py)."""
    server = start_redis(tmp_path_factory.mktemp("redis"))
    yield server
    stop_redis(server)


@pytest.fixture
def fresh_redis(redis_server: RedisServer) -> RedisServer:
    """The module's redis-server, emptied before the test."""
    redis_server.client().flushall()
    return redis_server

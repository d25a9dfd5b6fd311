"""A real redis-server for tests: on 127.0.0.1, a free port, its files in the test's temporary folder.

``.ci/run`` installs Debian's ``redis-server`` when it is missing; without it these tests fail, naming it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

READY = b"Ready to accept connections"


@dataclass
class RedisServer:
    url: str
    port: int
    process: subprocess.Popen[bytes]

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(folder: Path) -> RedisServer:
    """Start redis-server in *folder*; returns once it accepts connections (it says so on its log)."""
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.fail("redis-server is not installed (apt-get install -y redis-server; .ci/run does it)")
    folder.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    process = subprocess.Popen(
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), "--save", "",
         "--appendonly", "no", "--daemonize", "no", "--loglevel", "notice"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    said = []
    for line in process.stdout:  # blocks on the server's own log until it is ready (or gone)
        said.append(line)
        if READY in line:
            break
    else:
        process.wait()
        pytest.fail(f"redis-server did not start: {b''.join(said[-5:]).decode(errors='replace')}")
    # Keep reading its log, so the pipe never fills up and blocks it.
    threading.Thread(target=process.stdout.read, daemon=True).start()
    return RedisServer(f"redis://127.0.0.1:{port}/0", port, process)


def stop_redis(server: RedisServer) -> None:
    server.process.terminate()
    server.process.wait(timeout=30)

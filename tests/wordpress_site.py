"""Starting the WordPress replica for tests: ``python -m crawler.replica --site wordpress`` on a free port."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from crawler.runs.demo import ReplicaProcess

REPO = Path(__file__).resolve().parent.parent


def start_wordpress(log_path: Path, seed: int | None = None) -> ReplicaProcess:
    """The WordPress replica in a process of its own; its URL is the first line it prints once it listens."""
    command = [sys.executable, "-m", "crawler.replica", "--site", "wordpress", "--port", "0"]
    if seed is not None:
        command += ["--seed", str(seed)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, cwd=REPO)
    assert process.stdout is not None
    url = process.stdout.readline().decode().strip()
    running = ReplicaProcess(url, process, log_path)
    if not url.startswith("http://127.0.0.1:"):
        running.stop()
        raise RuntimeError(f"the WordPress replica did not start: {log_path.read_text(errors='replace')[-500:]}")
    return running

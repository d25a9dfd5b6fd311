"""An interrupted reprocessing run: Ctrl-C (SIGINT to the whole process group) or SIGTERM to the parent.

The run must leave the previous output exactly as it was, say "interrupted"
in its summary and exit status, leave no worker process running, and remove
its temporary folder. The input is a real crawl of a 2,000-article replica,
so the replay runs for seconds; the signal is sent once the run says its
index is built (its first progress line), when the workers are replaying.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import start_replica
from faultkit import child_env, command

PREVIOUS = "the previous run's lines\n"


@pytest.fixture(scope="module")
def big_job(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    replica = start_replica(folder / "access.log", articles=2000)
    try:
        done = subprocess.run(command("crawl", "topwar", "-a", f"start_urls={replica.url}", "--out", str(folder / "out"),
                                      "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"),
                              capture_output=True, text=True, timeout=600)
    finally:
        replica.stop()
    assert done.returncode == 0, done.stderr[-3000:]
    (job,) = [p for p in (folder / "out").iterdir() if p.is_dir()]
    return job


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        for child in (task / "children").read_text().split():
            found |= {int(child)} | _descendants(int(child))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.parametrize("interruption", ["ctrl-c", "sigterm"])
def test_an_interrupted_reprocess_leaves_the_previous_output_and_nothing_else(big_job, tmp_path, interruption):
    temp = tmp_path / "tmp"
    temp.mkdir()
    output = tmp_path / "items.jsonl"
    output.write_text(PREVIOUS)
    run = subprocess.Popen(command("reprocess", str(big_job), "-o", str(output), "--workers", "2"),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                           env=child_env(TMPDIR=str(temp)))
    assert run.stderr is not None
    said = []
    for line in run.stderr:
        said.append(line)
        if "index:" in line:
            break
    deadline = time.monotonic() + 60
    while not (workers := _descendants(run.pid)) and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)  # the workers are forked just after that line
    assert workers, "the workers are running"
    if interruption == "ctrl-c":
        os.killpg(run.pid, signal.SIGINT)
    else:
        os.kill(run.pid, signal.SIGTERM)
    stdout, stderr = run.communicate(timeout=120)
    said_all = stdout + "".join(said) + stderr

    assert output.read_text() == PREVIOUS
    assert run.returncode not in (0, 1), "the exit status says interrupted, not done or failed"
    assert "interrupted" in stdout
    deadline = time.monotonic() + 30
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)  # waiting for processes to go, not timing them
    assert not any(map(_alive, workers)), "no worker left running"
    assert list(temp.iterdir()) == [], "no temporary folder left"
    assert [p.name for p in tmp_path.iterdir() if p.name != "tmp"] == ["items.jsonl"]
    assert "Traceback" not in said_all

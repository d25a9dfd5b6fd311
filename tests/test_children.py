"""A crawl started by another process stops cleanly, once, when that process dies, however it dies.

A parent (a small script standing in for a watch's scheduler: several threads, the crawl started from one of
them with :func:`crawler.runs.children.start_child`) is SIGKILLed mid-crawl, or exits before the crawl has even
started. The kernel may signal the orphan once per thread of the dying parent; the crawl must take it as one
graceful stop: WARC files finished (none left ``.open``), every line of ``items.jsonl`` whole, Scrapy's "forcing
unclean shutdown" never reached.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import ReplicaServer

REPO = Path(__file__).resolve().parent.parent
WAIT_SECONDS = 120.0

PARENT = """
import os, sys, threading, time
from crawler.runs.children import start_child

log, mode, command = sys.argv[1], sys.argv[2], sys.argv[3:]
for _ in range(6):  # a threaded parent: the orphan is handed from thread to thread as they die
    threading.Thread(target=time.sleep, args=(600,), daemon=True).start()

def spawn():
    with open(log, "ab") as stream:
        child = start_child(command, stream)
    print(child.pid, flush=True)
    if mode == "exit-at-once":
        os._exit(0)
    time.sleep(600)  # the thread that started the child lives on, as a scheduler's job thread does

threading.Thread(target=spawn).start()
"""


def wait_for(condition, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def crawl_ended(log: Path) -> bool:
    return log.exists() and "newsarchive: crawl " in log.read_text(encoding="utf-8", errors="replace")


def items(archive: Path) -> Path | None:
    return next(archive.glob("*/items.jsonl"), None)


@pytest.mark.parametrize("mode", ["killed-mid-crawl", "exit-at-once"])
def test_an_orphaned_crawl_stops_cleanly_once(tmp_path: Path, own_replica: ReplicaServer, mode: str) -> None:
    archive, log = tmp_path / "archive", tmp_path / "crawl.log"
    script = tmp_path / "parent.py"
    script.write_text(PARENT, encoding="utf-8")
    crawl = [sys.executable, "-m", "crawler", "crawl", "topwar", "--out", str(archive),
             "-a", f"start_urls={own_replica.url}", "-a", "max_articles=40",
             "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.05", "-s", "RANDOMIZE_DOWNLOAD_DELAY=False",
             "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    parent = subprocess.Popen([sys.executable, str(script), str(log), mode, *crawl], cwd=REPO,
                              stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        if mode == "killed-mid-crawl":
            wait_for(lambda: (path := items(archive)) is not None and path.read_bytes().count(b"\n") >= 3,
                     "the crawl's first lines")
            parent.send_signal(signal.SIGKILL)
        parent.wait(WAIT_SECONDS)
        wait_for(lambda: crawl_ended(log), "the orphaned crawl to end")
        wait_for(lambda: not Path(f"/proc/{child}").exists() or "Z" in _state(child), "the crawl process to exit")
    finally:
        if parent.poll() is None:
            parent.kill()
    said = log.read_text(encoding="utf-8")
    assert said.count("hang-up (the terminal or the process that started this one is gone)") == 1, said[-3000:]
    assert "forcing unclean shutdown" not in said
    assert "newsarchive: crawl shutdown" in said, "a graceful stop, as by one SIGTERM"
    (job,) = [path for path in archive.iterdir() if path.is_dir()]
    assert not list(job.glob("*.open")), "every WARC file finished"
    warcs = list(job.glob("*.warc.gz"))
    assert warcs
    for path in warcs:
        with path.open("rb") as stream:
            assert [record.rec_type for record in ArchiveIterator(stream)][0] == "warcinfo"
    text = (job / "items.jsonl").read_text(encoding="utf-8")
    assert text == "" or text.endswith("\n")
    lines = [json.loads(line) for line in text.splitlines()]
    if mode == "killed-mid-crawl":
        assert 3 <= len(lines) < 39, "stopped in the middle, with what it had"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][:1]
    except OSError:
        return "Z"

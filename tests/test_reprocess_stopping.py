"""A reprocessing run that cannot finish: stopped by a signal, its parent killed, or its lines not all written.

The slow end-to-end cases (Ctrl-C and SIGTERM of a real run, a run under a
file-size limit) are in ``test_faults_interrupt.py`` and ``test_faults_disk.py``;
these look at each mechanism with real processes, real signals and real
failing files: the parent's stop signals, workers that die with their parent,
a shard whose writes fail, a shard with a cut line, a crawl that does not run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from multiprocessing import get_context
from pathlib import Path

import pytest
import scrapy

from crawler.reprocess import reprocess
from crawler.reprocess.run import ShardDamaged, merge_shards
from crawler.reprocess.shards import ShardFile
from crawler.reprocess.stopping import StopSignals, forked
from crawler.runs.outcome import RunInterrupted
from faultkit import REPO
from test_warc_record_limit import _warc

PREVIOUS = "the previous run's lines\n"


@pytest.mark.parametrize(("signum", "status", "named"), [
    (signal.SIGINT, 130, "interrupted by SIGINT (Ctrl-C)"),
    (signal.SIGTERM, 143, "interrupted by SIGTERM"),
])
def test_a_stop_signal_interrupts_once_and_the_handlers_are_put_back(signum, status, named):
    before = signal.getsignal(signum)
    later = []
    with pytest.raises(RunInterrupted) as stopped, StopSignals():
        try:
            os.kill(os.getpid(), signum)
        finally:
            os.kill(os.getpid(), signum)  # while the run stops: ignored, so the cleaning up is not cut short
            later.append("cleaned up")
    assert (stopped.value.signum, stopped.value.exit_status, str(stopped.value)) == (signum, status, named)
    assert later == ["cleaned up"]
    assert signal.getsignal(signum) is before


_RUN = """
import multiprocessing, os, sys, threading
from crawler.reprocess.stopping import forked

def worker(parent, connection):
    forked(parent)
    connection.send(os.getpid())
    threading.Event().wait()  # forever, unless something ends this process

if __name__ == "__main__":
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    context.Process(target=worker, args=(os.getpid(), sender)).start()
    print(receiver.recv(), flush=True)
    threading.Event().wait()
"""


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state == "Z"


@pytest.mark.skipif(sys.platform != "linux", reason="/proc is Linux's")
def test_a_worker_dies_with_its_parent_even_a_killed_one(tmp_path):
    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent(_RUN))
    run = subprocess.Popen([sys.executable, str(script)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert run.stdout is not None
    worker = int(run.stdout.readline())
    assert not _gone(worker)
    run.kill()
    run.wait()
    deadline = time.monotonic() + 30
    while not _gone(worker) and time.monotonic() < deadline:
        time.sleep(0.05)  # waiting for the process to go, not timing it
    assert _gone(worker), "the worker outlived its parent"


def _stray(parent: int) -> None:
    forked(parent)
    os._exit(0)  # not reached when the parent is gone


def test_a_worker_whose_parent_ended_before_it_could_ask_to_die_with_it_ends_at_once():
    # The process that forked it is not the pid it was given: the parent it was forked for is gone.
    process = get_context("fork").Process(target=_stray, args=(os.getpid() + 1_000_000,))
    process.start()
    process.join()
    assert process.exitcode == 1


def test_a_shard_that_cannot_be_written_keeps_its_first_error_and_raises_nothing():
    errors: list[OSError] = []
    shard = ShardFile(open("/dev/full", "wb"), errors.append)  # noqa: SIM115 -- ShardFile closes it
    assert shard.write(b'{"id": 1}\n' * 10_000) == 100_000  # more than the buffer: the device is full now
    assert shard.write(b'{"id": 2}\n') == 10  # dropped
    shard.close()
    assert [error.strerror for error in errors] == ["No space left on device"]


def test_a_shard_with_a_cut_line_is_not_merged(tmp_path):
    (tmp_path / "shard-0-0.jsonl").write_bytes(b'{"id": "a", "sources": []}\n{"id": "b", "sour')
    (tmp_path / "items.jsonl").write_text(PREVIOUS)
    with pytest.raises(ShardDamaged, match=r"shard-0-0\.jsonl: line 2 is cut or no JSON"):
        merge_shards([tmp_path / "shard-0-0.jsonl"], tmp_path / "items.jsonl", [])
    assert (tmp_path / "items.jsonl").read_text() == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["items.jsonl", "shard-0-0.jsonl"]


class BrokenSpider(scrapy.Spider):
    """A spider that cannot be built: its crawl does not run, and its share of the lines is missing."""

    name = "broken"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):  # noqa: ANN001, ANN206
        raise ValueError("this spider is broken on purpose")

    @classmethod
    def is_archive_start(cls, url: str, status: int, mime: str | None) -> bool:
        return True


def test_a_crawl_that_does_not_run_leaves_the_previous_output(tmp_path):
    path, _ = _warc(tmp_path, gzipped=True)
    output = tmp_path / "items.jsonl"
    output.write_text(PREVIOUS)
    result = reprocess([path], output=output, spider=BrokenSpider, workers=1, progress="none")
    assert result.exit_status == 1
    assert result.errors == [f"crawl did not run: ValueError: this spider is broken on purpose: nothing merged, "
                             f"{output} was left as it was"]
    assert output.read_text() == PREVIOUS

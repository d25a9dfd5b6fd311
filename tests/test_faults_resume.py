"""Crash and resume: a crawl SIGKILLed at several points, resumed each time, ends as if never interrupted.

A replica of its own (its access log counts every request) is crawled once
without interruption; then again, killed with SIGKILL (the crawl and the
WARC writer together, as a power cut would) once its WARC file exists and
again after 5, 60 and 150 article lines, each time resumed with
``newsarchive crawl … --resume JOB_DIR``. The union of the resumed job's
lines must be the uninterrupted crawl's: the same articles with the same
comments, no line twice, none cut; one job folder; no page fetched again
but those in flight when the crawl died.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import start_replica
from crawlcheck import comparable
from faultkit import command, jsonl, raw_lines

SETTINGS = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]
IN_FLIGHT = 16  # CONCURRENT_REQUESTS: at most this many requests can be lost with the process
KILL_AFTER_LINES = [5, 60, 150]


def _requests(log: Path) -> list[str]:
    """The paths requested from the replica so far (its access log, one line per request)."""
    return [line.split('"')[3].split(" ")[1] for line in log.read_text().splitlines() if line.count('"') >= 4]


def _crawl(url: str, out: Path, *extra: str) -> list[str]:
    return command("crawl", "topwar", "-a", f"start_urls={url}", "--out", str(out), *SETTINGS, *extra)


def _wait_for(condition, process: subprocess.Popen, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + 120
    while not condition():
        assert process.poll() is None, f"the crawl ended before {what}"
        assert time.monotonic() < deadline, f"no {what} within two minutes"
        time.sleep(0.005)  # polling a file the crawl writes, not timing the crawl


def _jobs(out: Path) -> list[Path]:
    return [p for p in out.iterdir() if p.is_dir()]


def _line_count(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _kill_group(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _content(lines: list[dict]) -> dict[str, dict]:
    """Each line by id, without what depends on the moment of its fetch (capture times, WARC places)."""
    return {line["id"]: comparable(line) for line in lines}


@pytest.mark.slow
def test_a_crawl_killed_at_several_points_and_resumed_loses_and_repeats_nothing(tmp_path):
    replica = start_replica(tmp_path / "access.log")
    try:
        whole = subprocess.run(_crawl(replica.url, tmp_path / "whole"), capture_output=True, text=True, timeout=300)
        assert whole.returncode == 0, whole.stderr[-3000:]
        (whole_job,) = _jobs(tmp_path / "whole")
        expected = _content(jsonl(whole_job / "items.jsonl"))
        before = len(_requests(tmp_path / "access.log"))
        distinct = len(set(_requests(tmp_path / "access.log")))

        out = tmp_path / "killed"
        first = subprocess.Popen(_crawl(replica.url, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
        _wait_for(lambda: any(out.glob("*/*.warc.gz.open")), first, "WARC file")
        _kill_group(first)
        (job,) = _jobs(out)
        kills = 1
        for lines in [*KILL_AFTER_LINES, None]:
            resumed = subprocess.Popen(_crawl(replica.url, out, "--resume", str(job)), stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True, start_new_session=True)
            if lines is None:
                stdout, stderr = resumed.communicate(timeout=300)
                assert resumed.returncode == 0, stderr[-3000:]
                break
            _wait_for(lambda: _line_count(job / "items.jsonl") >= lines, resumed, f"{lines} lines")  # noqa: B023
            _kill_group(resumed)
            kills += 1

        assert _jobs(out) == [job], "one job folder"
        raw = raw_lines(job / "items.jsonl")
        assert all(line.endswith(b"\n") for line in raw), "no line cut"
        got = [json.loads(line) for line in raw]
        assert len({line["id"] for line in got}) == len(got), "no line twice"
        assert _content(got) == expected, "the same articles, each with all its comments"
        requests = _requests(tmp_path / "access.log")[before:]
        assert len(requests) - distinct <= IN_FLIGHT * kills, "no page fetched again but those in flight"
        assert not list(job.glob("*.open")), "every WARC file closed out"
        check = subprocess.run(command("warc", "check", str(job)), capture_output=True, text=True)
        assert check.returncode == 0, check.stdout[-3000:]
    finally:
        replica.stop()

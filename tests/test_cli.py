"""The newsarchive command: the same program as ``python -m crawler``, every command explained, demo end to end."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from crawler.runs.demo import ReplicaStartError, start_replica

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((REPO / "crawler" / "schema" / "article.schema.json").read_text(encoding="utf-8"))
COMMANDS = ["demo", "crawl", "worker", "replica", "warc", "reprocess"]


def newsarchive(*arguments: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", *arguments], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_console_script_and_python_m_crawler_are_the_same_program():
    script = shutil.which("newsarchive", path=str(Path(sys.executable).parent))
    assert script is not None, "pip install -e . puts the newsarchive script beside the interpreter"
    via_script = subprocess.run([script, "--help"], capture_output=True, text=True, check=True).stdout
    via_module = newsarchive("--help").stdout
    assert via_script.replace("newsarchive", "PROG") == via_module.replace("newsarchive", "PROG")
    for command in COMMANDS:
        assert f"    {command}" in via_module


@pytest.mark.parametrize("command", [*COMMANDS, "warc check", "warc index", "profile check", "watch list", "watch run",
                                     "watch once", "export", "wacz", "replay", "report"])
def test_every_command_explains_itself(command):
    done = newsarchive(*command.split(), "--help")
    assert done.returncode == 0
    assert done.stdout.startswith(f"usage: newsarchive {command}")
    assert len(done.stdout.splitlines()) > 5


def test_demo_serves_the_replica_and_crawls_it(tmp_path):
    done = newsarchive("demo", "--out", str(tmp_path), "--max-articles", "4", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    (job,) = tmp_path.glob("*-demo")
    assert job.name.endswith("-demo")
    lines = [json.loads(line) for line in (job / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 4
    for line in lines:
        jsonschema.validate(line, SCHEMA)
    assert len(list(job.glob("*.warc.gz"))) == 1
    assert "articles:        4 " in done.stdout
    assert f"JSON Lines:      {job / 'items.jsonl'}" in done.stdout


@pytest.mark.parametrize(("arguments", "message"), [
    (["demo", "--max-articles", "0", "--out", "out"],
     "newsarchive demo: error: spider argument max_articles: must be at least 1, got 0"),
    (["crawl", "nosuch", "--out", "out"],
     "newsarchive crawl: error: no spider named 'nosuch'; available: news, topwar, urls, voenvestnik"),
    (["replica", "--port", "99999"], "argument --port: a TCP port is 0 to 65535, got '99999'"),
])
def test_usage_errors_exit_2_and_write_nothing(tmp_path, arguments, message):
    done = newsarchive(*arguments, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert message in done.stderr
    assert not (tmp_path / "out").exists()


def test_replica_that_cannot_start_says_why(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(ReplicaStartError, match=r"^the replica site did not start: .*"):
            start_replica(port=taken.getsockname()[1], log_path=tmp_path / "replica.log")

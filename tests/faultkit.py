"""What the fault tests share: running ``newsarchive`` as a user would, and reading back what it left.

Every command runs in a child process (``python -m crawler``), so a test can
kill it, starve it of disk or memory, or cut it off from the network, and
sees its exit status, its stderr and its files exactly as a user would.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

REPO = Path(__file__).resolve().parent.parent
# A crawl of a server on this machine: no politeness delays, robots.txt retried at once, short timeouts.
LOCAL = {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0", "ROBOTSTXT_RETRY_DELAYS": "0.1",
         "DOWNLOAD_TIMEOUT": "5", "LOG_LEVEL": "INFO"}
TIMEOUT = 300


def command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "crawler", *arguments]


def newsarchive(*arguments: str, cwd: Path | None = None, env: Mapping[str, str] | None = None,
                limits: Sequence[tuple[int, int]] = (), timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run ``newsarchive ARGUMENTS`` to its end; *limits* are ``(resource.RLIMIT_…, bytes)`` set in the child."""
    return subprocess.run(command(*arguments), cwd=cwd or REPO, capture_output=True, text=True, timeout=timeout,
                          env=dict(env) if env is not None else None, preexec_fn=rlimits(limits) if limits else None)


def rlimits(limits: Sequence[tuple[int, int]]) -> Callable[[], None]:
    def apply() -> None:
        for which, value in limits:
            resource.setrlimit(which, (value, value))
    return apply


def crawl_args(urls: Sequence[str], out: Path, **settings: str) -> list[str]:
    """``crawl urls -a urls=… --out OUT -s …`` with the :data:`LOCAL` settings under *settings*."""
    arguments = ["crawl", "urls", "-a", "urls=" + ",".join(urls), "--out", str(out)]
    for name, value in {**LOCAL, **settings}.items():
        arguments += ["-s", f"{name}={value}"]
    return arguments


def job_dir(out: Path) -> Path:
    (job,) = [path for path in out.iterdir() if path.is_dir()]
    return job


def jsonl(path: Path) -> list[dict]:
    """Every line of a JSON Lines file, parsed (a line that does not parse fails the test that reads it)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def raw_lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


@dataclass
class WarcRecord:
    type: str
    uri: str
    headers: dict[str, str]
    payload: bytes


def warc_records(folder: Path, pattern: str = "*.warc*") -> list[WarcRecord]:
    """The records warcio reads from the WARC files in *folder* (finished and ``.open`` ones)."""
    records = []
    for path in sorted(folder.glob(pattern)):
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                records.append(WarcRecord(record.rec_type, record.rec_headers.get_header("WARC-Target-URI") or "",
                                          dict(record.rec_headers.headers), record.content_stream().read()))
    return records


def responses_for(folder: Path, url: str) -> list[WarcRecord]:
    return [r for r in warc_records(folder) if r.type in ("response", "revisit") and r.uri == url]


def by_url(lines: Sequence[dict]) -> dict[str, dict]:
    return {line["url"]: line for line in lines}


def child_env(**changes: str | None) -> dict[str, str]:
    """This process's environment with *changes* (``None`` removes a variable)."""
    env = dict(os.environ)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env

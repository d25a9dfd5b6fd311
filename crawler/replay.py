"""``newsarchive replay``: an archive opened in pywb on 127.0.0.1, as a reader would browse it.

pywb pins old versions of libraries this project uses newer ones of, so it
runs from a virtual environment of its own, created on first use (in
``NEWSARCHIVE_PYWB_VENV``, else ``$XDG_CACHE_HOME/newsarchive/pywb-venv``,
else ``~/.cache/newsarchive/pywb-venv``) and reused after. The collection is
laid out in a temporary folder for as long as pywb runs: links to the WARC
and ARC files (those of WACZ packages copied out by
:mod:`crawler.warc.inputs`), a CDXJ index written by ``newsarchive warc
index`` (cdxj-indexer), and a ``config.yaml`` naming both, so nothing is
copied and the archive itself is never written to. pywb listens on
127.0.0.1 only (its default is every interface).

The first article's replay URL comes from the archive's own article list
(``items.jsonl`` of the job folders, ``pages/pages.jsonl`` of a WACZ
package), else from the first HTML page in the index.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from crawler.runs.outcome import RunFailed, RunRefused
from crawler.warc.index import index_warcs
from crawler.warc.inputs import is_zip, open_inputs

logger = logging.getLogger(__name__)

PYWB_REQUIREMENT = "pywb>=2.9,<3"
COLLECTION = "news"
VENV_ENV = "NEWSARCHIVE_PYWB_VENV"
_READY_MARKER = "newsarchive-ready"
_START_SECONDS = 120.0


class ReplayError(RunFailed):
    """pywb cannot be installed or started, or the archive holds nothing to replay (exit status 1)."""


def default_venv() -> Path:
    """Where pywb's virtual environment lives: ``$NEWSARCHIVE_PYWB_VENV``, else the user's cache folder."""
    if configured := os.environ.get(VENV_ENV):
        return Path(configured)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "newsarchive" / "pywb-venv"


def ensure_pywb(venv: Path | None = None) -> Path:
    """The ``bin`` folder of a virtual environment with pywb in it; created (and pywb installed) on first use."""
    venv = venv or default_venv()
    bin_dir = venv / "bin"
    if (venv / _READY_MARKER).exists() and (bin_dir / "wayback").exists():
        return bin_dir
    logger.warning("installing pywb into %s (once; it takes a minute)", venv)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, capture_output=True)
    pip = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", PYWB_REQUIREMENT],
                         capture_output=True, text=True)
    if pip.returncode != 0:
        raise ReplayError(f"pywb could not be installed into {venv}: {pip.stderr.strip()[-1500:]}")
    (venv / _READY_MARKER).write_text(PYWB_REQUIREMENT + "\n")
    return bin_dir


@dataclass
class Replay:
    """A running pywb: where it answers, and the archive's first article (URL, 14-digit capture time), if any."""

    base_url: str
    first_capture: tuple[str, str] | None
    process: subprocess.Popen[bytes]

    @property
    def first_article(self) -> str | None:
        """The replay URL of the first article, for a browser."""
        return self.url_of(*self.first_capture) if self.first_capture else None

    def url_of(self, url: str, timestamp: str = "", *, raw: bool = False) -> str:
        """The replay URL of *url*: the capture closest to *timestamp* (default the latest); *raw*: the archived
        bytes as they were, without pywb's frame and rewriting."""
        modifier = f"{timestamp or ('2' if raw else '')}{'id_' if raw else ''}"
        return f"{self.base_url}/{COLLECTION}/{modifier + '/' if modifier else ''}{url}"


@contextmanager
def replaying(paths: list[str | os.PathLike[str]], *, port: int = 0, venv: Path | None = None) -> Iterator[Replay]:
    """pywb serving the archives in *paths* (folders, WARC/ARC files, WACZ packages) on 127.0.0.1:*port* (0: any)."""
    bin_dir = ensure_pywb(venv)
    with ExitStack() as stack:
        inputs = stack.enter_context(open_inputs(paths))
        if not inputs.files:
            raise ReplayError(f"no WARC files found in {', '.join(map(str, paths))}")
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="newsarchive-replay-")))
        index = _lay_out(root, inputs.files)
        port = port or _free_port()
        log = (root / "pywb.log").open("wb")
        stack.callback(log.close)
        process = subprocess.Popen([str(bin_dir / "wayback"), "-b", "127.0.0.1", "-p", str(port)], cwd=root,
                                   stdout=log, stderr=subprocess.STDOUT)
        stack.callback(_stop, process)
        base = f"http://127.0.0.1:{port}"
        _wait_until_listening(port, process, root / "pywb.log")
        yield Replay(base, _first_article(paths, index), process)


def _lay_out(root: Path, files: list[Path]) -> Path:
    """config.yaml, links to the files (by base name, as the index names them) and their CDXJ index."""
    archive, indexes = root / "archive", root / "indexes"
    archive.mkdir()
    indexes.mkdir()
    for path in files:
        link = archive / path.name
        if not link.exists():
            link.symlink_to(path.resolve())
    index = indexes / "index.cdxj"
    report = index_warcs([str(path) for path in files], index)
    for path, reason in report.failed:
        logger.warning("%s: not indexed to its end: %s", path, reason)
    if not report.indexed and not index.stat().st_size:
        raise ReplayError("no capture could be indexed")
    (root / "config.yaml").write_text(
        f"collections:\n  {COLLECTION}:\n    index: {json.dumps(str(indexes))}\n"
        f"    archive_paths: {json.dumps(str(archive) + '/')}\n", encoding="utf-8")
    return index


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_listening(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + _START_SECONDS
    while True:
        if process.poll() is not None:
            raise ReplayError(f"pywb stopped (status {process.returncode}): "
                              f"{log.read_text(errors='replace').strip()[-1500:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise ReplayError(f"pywb did not start listening on 127.0.0.1:{port}") from None
            time.sleep(0.1)  # polling a port that is not open yet: there is no event to wait on


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _first_article(paths: list[str | os.PathLike[str]], index: Path) -> tuple[str, str] | None:
    """(URL, 14-digit timestamp) of the first article the archive lists, else of its first HTML page."""
    listed = [article for path in map(Path, paths) for items in _article_lists(path) for article in items
              if article.get("url") and (article.get("fetched_at") or article.get("ts"))]
    # One that was read (it has a title) before one that only accounts for a page that failed.
    for article in sorted(listed, key=lambda article: not article.get("title")):
        return article["url"], _timestamp(article.get("fetched_at") or article["ts"])
    for line in index.read_text(encoding="utf-8").splitlines():
        surt_and_time, _, fields = line.partition(" {")
        capture = json.loads("{" + fields)
        if capture.get("status") == "200" and capture.get("mime") == "text/html":
            return capture["url"], surt_and_time.split(" ")[-1]
    return None


def _article_lists(path: Path) -> Iterator[Iterator[dict]]:
    if path.is_dir():
        for items in sorted([path / "items.jsonl", *path.glob("*/items.jsonl")]):
            if items.is_file():
                yield _json_lines(items.read_text(encoding="utf-8"))
    elif path.is_file() and is_zip(path):
        with zipfile.ZipFile(path) as package:
            if "pages/pages.jsonl" in package.namelist():
                yield _json_lines(package.read("pages/pages.jsonl").decode("utf-8"))


def _json_lines(text: str) -> Iterator[dict]:
    for line in text.splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict) and "format" not in value:
            yield value


def _timestamp(iso: str) -> str:
    """``20261125032548`` from ``2026-11-25T03:25:48.812190+00:00``."""
    digits = "".join(ch for ch in iso[:19] if ch.isdigit())
    return digits.ljust(14, "0")


def serve(paths: list[str | os.PathLike[str]], *, port: int = 8090, venv: Path | None = None) -> int:
    """``newsarchive replay``: serve until interrupted, printing where; 0 when stopped with Ctrl-C.

    Raises :class:`~crawler.runs.outcome.RunRefused` for a path that does not exist (before pywb is installed
    or started), :class:`ReplayError` when pywb cannot be installed, started or kept running.
    """
    missing = [str(path) for path in paths if not Path(path).exists()]
    if missing:
        raise RunRefused(f"no such file or folder: {', '.join(missing)}")
    with replaying(paths, port=port, venv=venv) as replay:
        print(f"newsarchive: pywb replays the archive at {replay.base_url}/{COLLECTION}/", flush=True)
        print(f"  first article: {replay.first_article or '(none found)'}", flush=True)
        print("  stop with Ctrl-C", flush=True)
        try:
            replay.process.wait()
        except KeyboardInterrupt:
            return 0
        raise ReplayError(f"pywb stopped (status {replay.process.returncode})")

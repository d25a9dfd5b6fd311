"""A replay tool plays back what we archived: pywb, on 127.0.0.1, from a collection of our WARCs.

pywb pins its own dependencies, so it lives in a virtual environment of its
own, created once (``NEWSARCHIVE_PYWB_VENV``, default
``~/.cache/newsarchive/pywb-venv``) and reused after.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from rawhttp import CANNED, GZIP_BODY, SHARED_BODY, running_raw_server
from warc_fetch_spider import run_crawl

VENV = Path(os.environ.get("NEWSARCHIVE_PYWB_VENV", Path.home() / ".cache" / "newsarchive" / "pywb-venv"))
PAGES = ["/cookies", "/gzip", "/chunked-no-trailer", "/same-a", "/same-b"]


@pytest.fixture(scope="module")
def pywb_bin() -> Path:
    ready = VENV / "installed"
    if not ready.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", VENV], check=True)
        pip = subprocess.run([VENV / "bin" / "pip", "install", "-q", "pywb"], capture_output=True, text=True)
        if pip.returncode != 0:
            pytest.skip(f"pywb cannot be installed here: {pip.stderr.strip()[-2000:]}")
        ready.touch()
    return VENV / "bin"


@pytest.fixture(scope="module")
def collection(pywb_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A pywb collection ``c`` holding one crawl of the raw server; yields (its folder, the server URL)."""
    archive = tmp_path_factory.mktemp("archive")
    root = tmp_path_factory.mktemp("pywb")
    with running_raw_server() as server:
        run_crawl([server + path for path in PAGES], archive, "replay")
        (warc,) = (archive / "replay").glob("*.warc.gz")
        subprocess.run([pywb_bin / "wb-manager", "init", "c"], cwd=root, check=True, capture_output=True)
        added = subprocess.run([pywb_bin / "wb-manager", "add", "c", warc], cwd=root, capture_output=True, text=True)
        # wb-manager exits 0 even when indexing fails: read its output and the index.
        assert added.returncode == 0 and "ERROR" not in added.stdout + added.stderr, added.stderr
        yield root, server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def wayback(collection: tuple[Path, str], pywb_bin: Path) -> Iterator[str]:
    root, _ = collection
    port = _free_port()
    process = subprocess.Popen(
        [pywb_bin / "wayback", "-b", "127.0.0.1", "-p", str(port)], cwd=root,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=5).close()
                break
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None and time.monotonic() < deadline, "wayback did not start"
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _replay(wayback: str, url: str, accept_encoding: str = "identity") -> tuple[int, dict[str, str], bytes]:
    # urllib does not decompress, so the body is what pywb sent.
    request = urllib.request.Request(f"{wayback}/c/2id_/{url}", headers={"Accept-Encoding": accept_encoding})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def test_collection_indexes_every_capture(collection: tuple[Path, str]) -> None:
    root, _ = collection
    lines = (root / "collections" / "c" / "indexes" / "index.cdxj").read_text().splitlines()
    assert len(lines) == len(PAGES) + 1  # and robots.txt


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/cookies", CANNED[b"/cookies"].split(b"\r\n\r\n", 1)[1]),
        ("/chunked-no-trailer", b"<html><body>chunked, no trailer</body></html>\n"),
    ],
)
def test_archived_page_replays(wayback: str, collection: tuple[Path, str], path: str, body: bytes) -> None:
    assert _replay(wayback, collection[1] + path)[::2] == (200, body)


def test_gzip_page_replays_as_sent(wayback: str, collection: tuple[Path, str]) -> None:
    # pywb serves the stored gzip bytes to a client that accepts gzip (and decodes them for one that does not).
    status, headers, body = _replay(wayback, collection[1] + "/gzip", accept_encoding="gzip")
    assert (status, headers["Content-Encoding"], body) == (200, "gzip", GZIP_BODY)


def test_revisit_replays_the_original_payload(wayback: str, collection: tuple[Path, str]) -> None:
    status, headers, body = _replay(wayback, collection[1] + "/same-b")
    assert (status, body) == (200, SHARED_BODY)
    assert headers.get("X-Served-By") == "b"

"""A replay tool plays back what we archived: pywb, on 127.0.0.1, from a collection of our WARCs.

pywb pins its own dependencies, so it lives in a virtual environment of its
own (the ``pywb_venv`` fixture: ``$NEWSARCHIVE_PYWB_VENV``, else one in the
session's temporary folder), created once and reused after.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ReplicaServer
from rawhttp import CANNED, GZIP_BODY, SHARED_BODY, running_raw_server
from warc_fetch_spider import run_crawl

PAGES = ["/cookies", "/gzip", "/chunked-no-trailer", "/same-a", "/same-b"]
REPO = Path(__file__).resolve().parent.parent
SEED_ARTICLE = "179625-a-source-reveals-the-kremlins-reaction-to-large-scale-protests-in-belarus.html"
PAGED_ARTICLE = "207880-long-endurance-drones-of-the-future-what-the-experience-of-recent-conflicts-says.html"


@pytest.fixture(scope="module")
def pywb_bin(pywb_venv: Path) -> Path:
    return pywb_venv / "bin"


@pytest.fixture(scope="module")
def article_warc(own_replica: ReplicaServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A topwar crawl of two replica articles: the seed article, and one with three comment pages."""
    archive = tmp_path_factory.mktemp("articles")
    start_urls = ",".join(own_replica.url + path for path in (SEED_ARTICLE, PAGED_ARTICLE))
    subprocess.run([sys.executable, "-m", "crawler", "crawl", "topwar", "-a", f"start_urls={start_urls}",
                    "--out", str(archive), "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"],
                   cwd=REPO, check=True, capture_output=True)
    (warc,) = archive.glob("*/*.warc.gz")
    return warc


@pytest.fixture(scope="module")
def collection(pywb_bin: Path, article_warc: Path, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[tuple[Path, str]]:
    """A pywb collection ``c`` of a crawl of the raw server and one of the replica; yields (its folder, server URL)."""
    archive = tmp_path_factory.mktemp("archive")
    root = tmp_path_factory.mktemp("pywb")
    with running_raw_server() as server:
        run_crawl([server + path for path in PAGES], archive, "replay")
        (warc,) = (archive / "replay").glob("*.warc.gz")
        subprocess.run([pywb_bin / "wb-manager", "init", "c"], cwd=root, check=True, capture_output=True)
        for added_warc in (warc, article_warc):
            added = subprocess.run([pywb_bin / "wb-manager", "add", "c", added_warc], cwd=root, capture_output=True,
                                   text=True)
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
    # The raw server's pages and robots.txt; the replica's robots.txt, two articles and two more comment pages.
    assert len(lines) == len(PAGES) + 1 + 5


def test_archived_replica_article_replays(wayback: str, own_replica: ReplicaServer) -> None:
    status, headers, body = _replay(wayback, own_replica.url + SEED_ARTICLE)
    text = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Large-scale protests have been going on in Belarus for over a month." in text
    assert '<div id="comment-id-10520063">' in text


def test_archived_comment_page_replays(wayback: str, own_replica: ReplicaServer) -> None:
    url = (own_replica.url
           + "engine/ajax/controller.php?mod=comments&cstart=3&news_id=207880&skin=Military&massact=disable")
    status, _, body = _replay(wayback, url)
    assert status == 200 and set(json.loads(body)) == {"navigation", "comments"}


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

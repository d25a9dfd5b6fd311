"""``newsarchive replay``: pywb on 127.0.0.1 replays what a crawl archived, revisits as their originals.

Two crawls of the same two replica articles go into one archive folder; the
second one's unchanged pages are revisit records. pywb runs from its own
virtual environment (the ``pywb_venv`` fixture), on a collection laid out by
:func:`crawler.replay.replaying` from the archive folder, a job folder or a
WACZ package.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import ReplicaServer
from crawler.replay import Replay, replaying

REPO = Path(__file__).resolve().parents[1]
SEED = "179625-a-source-reveals-the-kremlins-reaction-to-large-scale-protests-in-belarus.html"
PAGED = "207880-long-endurance-drones-of-the-future-what-the-experience-of-recent-conflicts-says.html"
COMMENT_PAGE_3 = "engine/ajax/controller.php?mod=comments&cstart=3&news_id=207880&skin=Military&massact=disable"


def _crawl(replica: ReplicaServer, archive: Path) -> None:
    start_urls = ",".join(replica.url + path for path in (SEED, PAGED))
    done = subprocess.run([sys.executable, "-m", "crawler", "crawl", "topwar", "-a", f"start_urls={start_urls}",
                           "--out", str(archive), "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module")
def archive(own_replica: ReplicaServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("replay-archive")
    _crawl(own_replica, folder)
    _crawl(own_replica, folder)
    return folder


@pytest.fixture(scope="module")
def replay(archive: Path, pywb_venv: Path) -> Iterator[Replay]:
    with replaying([archive], venv=pywb_venv) as running:
        yield running


def _get(url: str) -> tuple[int, str]:
    status, page, _ = _get_with_headers(url)
    return status, page


def _get_with_headers(url: str) -> tuple[int, str, Message]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.read().decode("utf-8"), response.headers


def _capture_dates(archive: Path, url: str, kind: str = "revisit") -> list[str]:
    """The WARC-Date of each *kind* record of *url*: revisits in the second crawl, responses in the first."""
    first_job, second_job = sorted(path for path in archive.iterdir() if path.is_dir())
    dates = []
    for warc in (second_job if kind == "revisit" else first_job).glob("*.warc.gz"):
        with warc.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == kind and record.rec_headers.get_header("WARC-Target-URI") == url:
                    dates.append(record.rec_headers.get_header("WARC-Date"))
    return dates


def test_the_first_article_is_named_and_replays(replay: Replay, own_replica: ReplicaServer) -> None:
    assert replay.base_url.startswith("http://127.0.0.1:")
    assert replay.first_capture is not None
    url, timestamp = replay.first_capture
    assert replay.first_article == f"{replay.base_url}/news/{timestamp}/{own_replica.url}{SEED}"
    status, page = _get(replay.url_of(url, timestamp, raw=True))
    assert status == 200
    assert "<title>A source reveals the Kremlin&#039;s reaction to large-scale protests in Belarus" in page
    assert "Large-scale protests have been going on in Belarus for over a month." in page


def test_a_comment_page_replays(replay: Replay, own_replica: ReplicaServer) -> None:
    status, page = _get(replay.url_of(own_replica.url + COMMENT_PAGE_3, raw=True))
    assert status == 200
    assert "Success depends on imported components." in page


def test_a_revisit_replays_as_its_original(replay: Replay, archive: Path, own_replica: ReplicaServer) -> None:
    url = own_replica.url + PAGED
    (revisit_date,) = _capture_dates(archive, url)
    (original_date,) = _capture_dates(archive, url, "response")
    assert original_date[:19] != revisit_date[:19], "two captures a second apart at least"
    timestamp = "".join(ch for ch in revisit_date[:19] if ch.isdigit())
    status, page, headers = _get_with_headers(replay.url_of(url, timestamp, raw=True))
    assert status == 200
    assert "Long-endurance drones of the future: what the experience of recent conflicts says" in page
    # The revisit's own capture, not the original's: pywb resolved the revisit to the original's payload.
    replayed = parsedate_to_datetime(headers["Memento-Datetime"])
    assert replayed == datetime.fromisoformat(revisit_date.replace("Z", "+00:00")).replace(microsecond=0)


def test_a_wacz_package_replays(archive: Path, pywb_venv: Path, own_replica: ReplicaServer, tmp_path: Path) -> None:
    from crawler.wacz import write_wacz

    first_job = sorted(path for path in archive.iterdir() if path.is_dir())[0]
    package = tmp_path / "two-articles.wacz"
    write_wacz(first_job, package)
    with replaying([package], venv=pywb_venv) as running:
        assert running.first_article is not None and running.first_article.endswith(SEED)
        status, page = _get(running.url_of(own_replica.url + COMMENT_PAGE_3, raw=True))
    assert status == 200 and "Success depends on imported components." in page


def test_a_missing_archive_is_refused_before_pywb_starts(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "crawler", "replay", str(tmp_path / "nowhere")], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", f"newsarchive replay: error: no such file or folder: {tmp_path / 'nowhere'}\n")

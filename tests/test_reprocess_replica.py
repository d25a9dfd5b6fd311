"""Reprocessing crawls of the replica site: the same JSON Lines as live, whichever crawl and however indexed.

Two live ``topwar`` crawls of one replica (a module's own, so its one-time
503 falls into the first crawl) go into one archive folder; the second is
mostly revisit records. Reprocessing must give back each crawl's own JSON
Lines, line for line: the first crawl alone, the archive at the time of the
first crawl (``at``), the archive's latest captures, every capture
(``all_captures``), and the first crawl through a CDXJ index. A WARC that
another tool (warcio's ``capture_http``) wrote of replica pages reprocesses
into the articles a reader of those pages expects.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.capture_http import capture_http

from conftest import ReplicaServer
from crawler.reprocess import ReprocessResult, reprocess
from crawler.warc.index import index_warcs

REPO = Path(__file__).resolve().parents[1]
SEED = "179625-a-source-reveals-the-kremlins-reaction-to-large-scale-protests-in-belarus.html"
BROKEN_JSON = "207880-long-endurance-drones-of-the-future-what-the-experience-of-recent-conflicts-says.html"
TANKS = "213406-main-battle-tanks-of-the-future-what-the-experience-of-recent-conflicts-says.html"
COMMENTS = "engine/ajax/controller.php?mod=comments&cstart={page}&news_id={id}&skin=Military&massact=disable"


@dataclass
class Crawl:
    dir: Path

    def lines(self) -> list[str]:
        return (self.dir / "items.jsonl").read_text(encoding="utf-8").splitlines()

    def by_id(self) -> dict[str, str]:
        return {json.loads(line)["id"]: line for line in self.lines()}


@dataclass
class Reprocessed:
    result: ReprocessResult
    output: Path

    def lines(self) -> list[str]:
        return self.output.read_text(encoding="utf-8").splitlines()

    def by_id(self) -> dict[str, str]:
        return {json.loads(line)["id"]: line for line in self.lines()}


def _crawl(replica: ReplicaServer, archive: Path) -> Crawl:
    before = set(archive.iterdir()) if archive.exists() else set()
    command = [sys.executable, "-m", "crawler", "crawl", "topwar", "-a", f"start_urls={replica.url}", "--out", archive,
               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    (job,) = [path for path in archive.iterdir() if path.is_dir() and path not in before]
    return Crawl(job)


def _reprocess(tmp: Path, paths: list[Path], **options: object) -> Reprocessed:
    output = tmp / "items.jsonl"
    result = reprocess(paths, output=output, progress="none", **options)  # type: ignore[arg-type]
    return Reprocessed(result, output)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("archive")


@pytest.fixture(scope="module")
def first(own_replica: ReplicaServer, archive: Path) -> Crawl:
    return _crawl(own_replica, archive)


@pytest.fixture(scope="module")
def second(own_replica: ReplicaServer, archive: Path, first: Crawl) -> Crawl:
    return _crawl(own_replica, archive)


@pytest.fixture(scope="module")
def first_again(first: Crawl, tmp_path_factory: pytest.TempPathFactory) -> Reprocessed:
    return _reprocess(tmp_path_factory.mktemp("first"), [first.dir], workers=2)


def test_reprocessing_a_crawl_gives_its_json_lines(first: Crawl, first_again: Reprocessed) -> None:
    assert first_again.result.exit_status == 0, first_again.result.summary()
    assert first_again.by_id() == first.by_id()
    assert len(first_again.lines()) == len(first.lines()) > 190


def test_the_run_says_what_it_did(first: Crawl, first_again: Reprocessed) -> None:
    result = first_again.result
    assert (result.spider, result.spider_reason) == ("topwar", "named in the WARCs' warcinfo records")
    assert result.crawls == [first.dir.name]
    assert (result.articles, result.problems, result.misses, result.errors) == (len(first.lines()), [], [], [])
    summary = result.summary().splitlines()
    assert summary[1:3] == ["  spider:          topwar (named in the WARCs' warcinfo records)",
                            f"  starting points: {len(first.lines())}"]


def test_retried_comment_page_replays_as_its_200(first: Crawl, first_again: Reprocessed,
                                                 own_replica: ReplicaServer) -> None:
    page_7 = own_replica.url + COMMENTS.format(page=7, id=213406)
    (warc,) = first.dir.glob("*.warc.gz")
    with warc.open("rb") as fh:
        archived = [int(record.http_headers.get_statuscode()) for record in ArchiveIterator(fh)
                    if record.rec_type == "response" and record.rec_headers.get_header("WARC-Target-URI") == page_7]
    assert archived == [503, 200]
    tanks = json.loads(first_again.by_id()["en.topwar.ru:213406"])
    assert [source["status"] for source in tanks["sources"] if source["url"] == page_7] == [200]
    assert (len(tanks["comments"]), tanks["warnings"]) == (652, [])


def test_cdxj_index_gives_the_same_file(first: Crawl, first_again: Reprocessed, tmp_path: Path) -> None:
    index_warcs([first.dir], tmp_path / "index.cdxj")
    again = _reprocess(tmp_path, [first.dir], cdxj=tmp_path / "index.cdxj", workers=1)
    assert again.result.exit_status == 0, again.result.summary()
    assert again.output.read_bytes() == first_again.output.read_bytes()


def test_latest_captures_by_default(first: Crawl, second: Crawl, archive: Path, tmp_path: Path) -> None:
    latest = _reprocess(tmp_path, [archive])
    assert latest.result.crawls == sorted([first.dir.name, second.dir.name])
    assert latest.by_id() == second.by_id()
    assert latest.result.stats["reprocess/revisits"] > 150


def test_at_picks_the_crawl_closest_in_time(first: Crawl, second: Crawl, archive: Path, tmp_path: Path) -> None:
    seed_fetched = json.loads(first.by_id()["en.topwar.ru:179625"])["fetched_at"]
    then = _reprocess(tmp_path, [archive], at=seed_fetched)
    assert then.by_id() == first.by_id()


def test_all_captures_gives_every_crawl_its_line(first: Crawl, second: Crawl, archive: Path, tmp_path: Path) -> None:
    every = _reprocess(tmp_path, [archive], all_captures=True)
    assert sorted(every.lines()) == sorted(first.lines() + second.lines())


def test_missing_comment_page_is_a_warning_and_a_reported_miss(first: Crawl, own_replica: ReplicaServer,
                                                              tmp_path: Path) -> None:
    (warc,) = first.dir.glob("*.warc.gz")
    page_3 = own_replica.url + COMMENTS.format(page=3, id=213406)
    data = warc.read_bytes()
    with warc.open("rb") as fh:
        iterator = ArchiveIterator(fh)
        for record in iterator:
            if record.rec_type == "response" and record.rec_headers.get_header("WARC-Target-URI") == page_3:
                start, end = iterator.get_record_offset(), iterator.get_record_offset() + iterator.get_record_length()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / warc.name).write_bytes(data[:start] + data[end:])
    again = _reprocess(tmp_path, [tmp_path / "in"])
    tanks = json.loads(again.by_id()["en.topwar.ru:213406"])
    assert tanks["warnings"] == ["comment page 3 could not be fetched: NotInArchive: not in the archive",
                                 "the page declares 652 comments but 617 were read"]  # page 3: 20 threads, 35 comments
    (miss,) = again.result.misses
    assert (miss.url, miss.referer, miss.reason) == (page_3, own_replica.url + TANKS, "not in the archive")
    assert again.result.exit_status == 0
    assert f"  {page_3} <- {own_replica.url + TANKS}: not in the archive" in again.result.summary().splitlines()


def _fetch(url: str, ajax: bool = False) -> None:
    headers = {"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"} if ajax else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
        response.read()


def test_warc_written_by_another_tool(own_replica: ReplicaServer, tmp_path: Path) -> None:
    warc = tmp_path / "other-tool.warc.gz"
    with capture_http(str(warc)):
        _fetch(own_replica.url + SEED)
        _fetch(own_replica.url + BROKEN_JSON)
        for page in (2, 3):
            _fetch(own_replica.url + COMMENTS.format(page=page, id=207880), ajax=True)
    again = _reprocess(tmp_path, [warc], spider="topwar")
    assert (again.result.spider, again.result.exit_status) == ("topwar", 0)
    articles = {key: json.loads(line) for key, line in again.by_id().items()}
    assert sorted(articles) == ["en.topwar.ru:179625", "en.topwar.ru:207880"]
    seed = articles["en.topwar.ru:179625"]
    assert {key: seed[key] for key in ("title", "author", "published_at", "tags", "comment_count_declared")} == {
        "title": "A source reveals the Kremlin's reaction to large-scale protests in Belarus",
        "author": "Dmitry Sokolovsky",
        "published_at": "2020-09-13T15:24:00+03:00",
        "tags": ["Belarus", "Russia", "Vladimir Putin", "Alexander Lukashenko", "protests"],
        "comment_count_declared": 2,
    }
    assert [(c["id"], c["author"], c["posted_at"], c["score"]) for c in seed["comments"]] == [
        ("10519713", "Vladimir_2U", "2020-09-13T20:59:00+03:00", 0),
        ("10520063", "Sergey39", "2020-09-13T21:34:00+03:00", 2),
    ]
    assert seed["body"].startswith("Large-scale protests have been going on in Belarus for over a month.")
    assert [(s["url"], s["status"], s["warc_filename"]) for s in seed["sources"]] == [
        (own_replica.url + SEED, 200, "other-tool.warc.gz")]
    drones = articles["en.topwar.ru:207880"]
    assert (drones["comment_count_declared"], len(drones["comments"]), len(drones["sources"])) == (118, 65, 3)
    assert drones["warnings"][1:] == ["the page declares 118 comments but 65 were read"]
    assert drones["warnings"][0].startswith("comment page 2: the answer is not valid JSON")

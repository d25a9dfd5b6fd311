"""End to end: the ``topwar`` spider crawls the replica site, and its WARCs hold what the site sent.

The replica answers one comment page with a 503 only the first time it is
asked in the server's life, so this module starts a replica of its own
(with the shared ``start_replica``) rather than the session's, which other
tests may have crawled already.
"""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import ReplicaServer
from crawler.warc.check import check_warcs

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SEED_ARTICLE = "179625-a-source-reveals-the-kremlins-reaction-to-large-scale-protests-in-belarus.html"
RENAMED = "247610-the-project-22350-frigate-admiral-golovko-will-join-the-fleet-in-2029.html"
RENAMED_TARGET = "247610-construction-of-the-project-22350-frigate-admiral-golovko-fell-behind-schedule.html"
GONE = "247744-talks-on-arms-supplies-to-poland-reached-a-dead-end.html"
FLAKY_COMMENTS = "engine/ajax/controller.php?mod=comments&cstart=7&news_id=213406&skin=Military&massact=disable"


@dataclass
class Record:
    type: str
    headers: dict[str, str]
    block: bytes

    def __getitem__(self, name: str) -> str:
        return self.headers[name]


@dataclass
class Job:
    dir: Path

    @property
    def warc(self) -> Path:
        (path,) = self.dir.glob("*.warc.gz")
        return path

    def records(self) -> list[Record]:
        with self.warc.open("rb") as fh:
            return [Record(r.rec_type, dict(r.rec_headers.headers), r.raw_stream.read())
                    for r in ArchiveIterator(fh, no_record_parse=True)]

    def captures(self, url: str) -> list[Record]:
        return [r for r in self.records() if r.type in ("response", "revisit") and r["WARC-Target-URI"] == url]

    def items(self) -> list[dict]:
        return [json.loads(line) for line in (self.dir / "items.jsonl").read_text().splitlines()]


def crawl_replica(replica: ReplicaServer, archive: Path, job: str) -> Job:
    command = [sys.executable, "-m", "scrapy", "crawl", "topwar", "-a", f"start_urls={replica.url}"]
    settings = {"ARCHIVE_DIR": archive, "ARCHIVE_JOB_ID": job, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                "CONCURRENT_REQUESTS_PER_DOMAIN": 16}
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return Job(archive / job)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("archive")


@pytest.fixture(scope="module")
def first(own_replica: ReplicaServer, archive: Path) -> Job:
    return crawl_replica(own_replica, archive, "first")


@pytest.fixture(scope="module")
def second(own_replica: ReplicaServer, archive: Path, first: Job) -> Job:
    return crawl_replica(own_replica, archive, "second")


def _dechunk(payload: bytes) -> bytes:
    body, rest = b"", payload
    while True:
        size_line, rest = rest.split(b"\r\n", 1)
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return body
        body, rest = body + rest[:size], rest[size + 2 :]


def test_records_pair_up_with_one_date_and_digests(first: Job) -> None:
    records = first.records()
    assert records[0].type == "warcinfo"
    assert {r.type for r in records[1:]} == {"request", "response"}
    by_id = {r["WARC-Record-ID"]: r for r in records}
    for response in (r for r in records if r.type == "response"):
        request = by_id[response["WARC-Concurrent-To"]]
        assert (request.type, request["WARC-Concurrent-To"]) == ("request", response["WARC-Record-ID"])
        assert request["WARC-Date"] == response["WARC-Date"]
        assert response["WARC-Block-Digest"].startswith("sha1:") and response["WARC-Payload-Digest"].startswith("sha1:")
    report = check_warcs([first.dir])
    assert report.ok and report.files[0].digests_verified == len(records)


def test_third_party_tools_accept_the_crawl(first: Job, tmp_path: Path) -> None:
    check = subprocess.run([BIN / "warcio", "check", first.warc], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    subprocess.run([BIN / "cdxj-indexer", "-o", tmp_path / "index.cdxj", first.warc], check=True)
    responses = sum(r.type == "response" for r in first.records())
    assert len((tmp_path / "index.cdxj").read_text().splitlines()) == responses


def test_gzip_served_page_stored_as_the_gzip_bytes(first: Job, own_replica: ReplicaServer) -> None:
    (page,) = first.captures(own_replica.url + SEED_ARTICLE)
    head, payload = page.block.split(b"\r\n\r\n", 1)
    assert b"\r\nContent-Encoding: gzip\r\n" in head and head.endswith(b"\r\nTransfer-Encoding: chunked")
    html = gzip.decompress(_dechunk(payload)).decode()
    assert "<title>A source reveals the Kremlin&#039;s reaction to large-scale protests in Belarus" in html


def test_redirect_and_its_target_captured(first: Job, own_replica: ReplicaServer) -> None:
    (redirect,) = first.captures(own_replica.url + RENAMED)
    assert redirect.block.startswith(b"HTTP/1.1 301 Moved Permanently\r\n")
    assert f"\r\nLocation: {own_replica.url}{RENAMED_TARGET}\r\n".encode() in redirect.block
    (target,) = first.captures(own_replica.url + RENAMED_TARGET)
    assert target.block.startswith(b"HTTP/1.1 200 OK\r\n")


def test_not_found_page_captured(first: Job, own_replica: ReplicaServer) -> None:
    (gone,) = first.captures(own_replica.url + GONE)
    assert gone.block.startswith(b"HTTP/1.1 404 Not Found\r\n")


def test_robots_txt_captured(first: Job, own_replica: ReplicaServer) -> None:
    (robots,) = first.captures(own_replica.url + "robots.txt")
    assert robots.block.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"Disallow: /blogs/" in robots.block


def test_503_then_200_both_captured(first: Job, own_replica: ReplicaServer) -> None:
    failed, retried = first.captures(own_replica.url + FLAKY_COMMENTS)
    assert failed.block.startswith(b"HTTP/1.1 503 Service Temporarily Unavailable\r\n")
    assert b"<center><h1>503 Service Temporarily Unavailable</h1></center>" in failed.block
    assert retried.block.startswith(b"HTTP/1.1 200 OK\r\n")


def test_sources_point_at_the_records(first: Job) -> None:
    items = first.items()
    sources = [source for item in items for source in item["sources"]]
    assert len(items) > 150 and len(sources) > len(items)
    with first.warc.open("rb") as fh:
        for source in sources:
            assert source["warc_filename"] == first.warc.name
            fh.seek(source["warc_offset"])
            record = next(iter(ArchiveIterator(io.BytesIO(fh.read(source["warc_length"])))))
            headers = record.rec_headers
            assert headers.get_header("WARC-Record-ID") == source["warc_record_id"]
            assert headers.get_header("WARC-Target-URI") == source["url"]
            assert int(record.http_headers.get_statuscode()) == source["status"]
            warc_date = datetime.fromisoformat(headers.get_header("WARC-Date").replace("Z", "+00:00"))
            assert datetime.fromisoformat(source["captured_at"]) == warc_date


def test_second_crawl_writes_revisits_to_the_first(first: Job, second: Job, own_replica: ReplicaServer) -> None:
    originals = {r["WARC-Record-ID"] for r in first.records() if r.type == "response"}
    revisits = [r for r in second.records() if r.type == "revisit"]
    assert len(revisits) > 100
    assert all(r["WARC-Refers-To"] in originals for r in revisits)
    (robots,) = second.captures(own_replica.url + "robots.txt")
    (first_robots,) = first.captures(own_replica.url + "robots.txt")
    assert (robots.type, robots["WARC-Refers-To"]) == ("revisit", first_robots["WARC-Record-ID"])
    assert robots["WARC-Refers-To-Date"] == first_robots["WARC-Date"]
    assert check_warcs([second.dir]).ok

"""Real crawls of the raw test server: the WARC records hold exactly the bytes on the wire.

One crawl of every trap URL (module fixture) is read back with warcio and
checked by the third-party tools; a few more crawls cover dedup across
crawls, HttpCache, and a crawl killed with SIGKILL.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.warc.check import Problem, check_warc, check_warcs
from rawhttp import CANNED, FLAKY_OK, GZIP_BODY, SERVICE_UNAVAILABLE, running_raw_server, write_self_signed_pem
from warc_fetch_spider import REPO, crawl_command, run_crawl

TRAPS = [
    "/robots.txt", "/page?b=2&a=1&q=caf%C3%A9", "/cookies", "/latin1-header", "/http10", "/gzip", "/chunked",
    "/odd-case", "/bare-lf", "/redirect", "/missing", "/image.png", "/same-a", "/same-b", "/early-hints",
]
BIN = Path(sys.executable).parent


@dataclass
class Record:
    type: str
    headers: dict[str, str]
    block: bytes
    offset: int

    def __getitem__(self, name: str) -> str:
        return self.headers[name]

    @property
    def payload(self) -> bytes:
        return re.split(rb"\r?\n\r?\n", self.block, maxsplit=1)[1]


def read_records(path: Path) -> list[Record]:
    with path.open("rb") as fh:
        iterator = ArchiveIterator(fh, no_record_parse=True)
        return [
            Record(r.rec_type, dict(r.rec_headers.headers), r.raw_stream.read(), iterator.get_record_offset())
            for r in iterator
        ]


@dataclass
class Crawl:
    base: str
    archive: Path
    job: Path
    log: str

    @property
    def warc(self) -> Path:
        (path,) = self.job.glob("*.warc.gz")
        return path

    @property
    def records(self) -> list[Record]:
        return read_records(self.warc)

    def items(self) -> list[dict]:
        return [json.loads(line) for line in (self.job / "items.jsonl").read_text().splitlines()]

    def responses(self, path: str) -> list[Record]:
        url = self.base + path
        return [r for r in self.records if r.type in ("response", "revisit") and r["WARC-Target-URI"] == url]

    def request_for(self, response: Record) -> Record:
        request_id = response["WARC-Concurrent-To"]
        (request,) = [r for r in self.records if r.type == "request" and r["WARC-Record-ID"] == request_id]
        return request


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_raw_server() as base:
        yield base


@pytest.fixture(scope="module")
def crawl(server: str, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    archive = tmp_path_factory.mktemp("archive")
    urls = [server + path for path in TRAPS if path != "/robots.txt"] + [server + "/echo", server + "/flaky?n=1"]
    log = run_crawl(urls, archive, "wire")
    return Crawl(server, archive, archive / "wire", log)


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/page?b=2&a=1&q=caf%C3%A9", id="query-string"),
        pytest.param("/cookies", id="two-set-cookie"),
        pytest.param("/latin1-header", id="non-utf8-header"),
        pytest.param("/http10", id="http-1.0"),
        pytest.param("/gzip", id="gzip-body"),
        pytest.param("/chunked", id="chunked"),
        pytest.param("/odd-case", id="status-text-header-order-case"),
        pytest.param("/bare-lf", id="bare-lf-lines"),
        pytest.param("/redirect", id="3xx"),
        pytest.param("/missing", id="4xx"),
        pytest.param("/robots.txt", id="robots.txt"),
        pytest.param("/image.png", id="not-html"),
        pytest.param("/same-a", id="first-of-identical-payloads"),
    ],
)
def test_response_record_holds_the_bytes_as_sent(crawl: Crawl, path: str) -> None:
    response = crawl.responses(path)[0]
    assert response.type == "response"
    assert response.block == CANNED[path.encode()]


def test_two_set_cookie_headers_both_stored(crawl: Crawl) -> None:
    (response,) = crawl.responses("/cookies")
    assert re.findall(rb"\r\nSet-Cookie: ([^\r]*)", response.block) == [b"a=1; Path=/", b"b=2; Path=/; HttpOnly"]


def test_non_utf8_header_bytes_stored(crawl: Crawl) -> None:
    (response,) = crawl.responses("/latin1-header")
    assert b"\r\nX-Note: d\xe9j\xe0 vu \xff\xfe\r\n" in response.block


def test_http_version_stored_as_spoken(crawl: Crawl) -> None:
    assert crawl.responses("/http10")[0].block.startswith(b"HTTP/1.0 200 OK\r\n")
    assert crawl.responses("/cookies")[0].block.startswith(b"HTTP/1.1 200 OK\r\n")


def test_gzip_body_stored_encoded_under_its_header(crawl: Crawl) -> None:
    (response,) = crawl.responses("/gzip")
    assert b"\r\nContent-Encoding: gzip\r\n" in response.block
    assert response.payload == GZIP_BODY


def test_chunked_body_stored_framed_with_agreeing_digests(crawl: Crawl) -> None:
    (response,) = crawl.responses("/chunked")
    assert b"\r\nTransfer-Encoding: chunked\r\n" in response.block
    assert response.payload.startswith(b"19\r\n<html><body>first chunk, \r\n16;ext=1\r\n")
    assert response.payload.endswith(b"0\r\nX-Trailer: yes\r\n\r\n")
    assert check_warc(crawl.warc).problems == []


def test_status_text_and_header_order_and_case_kept(crawl: Crawl) -> None:
    (response,) = crawl.responses("/odd-case")
    assert response.block.startswith(
        b"HTTP/1.1 200 Very Fine Indeed\r\nx-lower-case: a\r\nX-UPPER-CASE: B\r\ncontent-TYPE: text/html\r\n"
        b"Zeta: last-alphabetically-first\r\nAlpha: first-alphabetically-last\r\n"
    )


def test_request_line_keeps_the_query_string(crawl: Crawl) -> None:
    request = crawl.request_for(crawl.responses("/page?b=2&a=1&q=caf%C3%A9")[0])
    assert request.block.startswith(b"GET /page?b=2&a=1&q=caf%C3%A9 HTTP/1.1\r\n")


def test_request_record_has_the_host_header(crawl: Crawl) -> None:
    request = crawl.request_for(crawl.responses("/cookies")[0])
    assert f"\r\nHost: {crawl.base.removeprefix('http://')}\r\n".encode() in request.block


def test_request_record_is_what_the_server_received(crawl: Crawl) -> None:
    (echo,) = crawl.responses("/echo")
    assert crawl.request_for(echo).block == echo.payload


def test_interim_response_left_out(crawl: Crawl) -> None:
    (response,) = crawl.responses("/early-hints")
    assert response.block == CANNED[b"/early-hints"].split(b"\r\n\r\n", 1)[1]
    assert "'warc/interim_responses_dropped': 1" in crawl.log


def test_retried_attempts_each_captured(crawl: Crawl) -> None:
    first, second = crawl.responses("/flaky?n=1")
    assert (first.block, second.block) == (SERVICE_UNAVAILABLE, FLAKY_OK)
    assert crawl.request_for(first)["WARC-Record-ID"] != crawl.request_for(second)["WARC-Record-ID"]


def test_redirect_then_target_both_captured(crawl: Crawl) -> None:
    (redirect,) = crawl.responses("/redirect")
    assert redirect.block.startswith(b"HTTP/1.1 301 Moved Permanently\r\nLocation: /page?b=2&a=1&q=caf%C3%A9\r\n")
    # The target's payload was archived by the direct fetch already, so this capture is a revisit.
    assert [r.type for r in crawl.responses("/page?b=2&a=1&q=caf%C3%A9")].count("revisit") == 1


def test_every_response_pairs_with_its_request(crawl: Crawl) -> None:
    records = crawl.records
    warcinfo_id = records[0]["WARC-Record-ID"]
    responses = [r for r in records if r.type in ("response", "revisit")]
    assert len(responses) == len([r for r in records if r.type == "request"]) == len(records) // 2 == 19
    for response in responses:
        request = crawl.request_for(response)
        assert request["WARC-Concurrent-To"] == response["WARC-Record-ID"]
        assert request["WARC-Date"] == response["WARC-Date"]
        assert request["WARC-Target-URI"] == response["WARC-Target-URI"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z", response["WARC-Date"])
        assert response["WARC-IP-Address"] == request["WARC-IP-Address"] == "127.0.0.1"
        assert response["WARC-Warcinfo-ID"] == request["WARC-Warcinfo-ID"] == warcinfo_id
        assert response["WARC-Block-Digest"].startswith("sha1:")
        assert response["WARC-Payload-Digest"].startswith("sha1:")


def test_warcinfo_describes_the_crawl(crawl: Crawl) -> None:
    warcinfo = crawl.records[0]
    assert warcinfo.type == "warcinfo"
    assert warcinfo["WARC-Filename"] == crawl.warc.name
    fields = dict(line.split(": ", 1) for line in warcinfo.block.decode().splitlines())
    assert re.fullmatch(r"newsarchive/\S+ Scrapy/\S+ Twisted/\S+ warcio/\S+ Python/\S+", fields["software"])
    assert fields["format"] == "WARC File Format 1.1"
    assert fields["conformsTo"] == "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
    assert (fields["robots"], fields["isPartOf"], fields["spider"]) == ("obey", "wire", "warcfetch")
    assert fields["http-header-user-agent"].startswith("newsarchive/")
    assert json.loads(fields["spider-arguments"])["urls"][0] == crawl.base + "/page?b=2&a=1&q=caf%C3%A9"
    assert fields["description"].startswith("request and response records hold the exact bytes sent and received")


def test_revisit_within_a_crawl(crawl: Crawl) -> None:
    (original,) = crawl.responses("/same-a")
    (revisit,) = crawl.responses("/same-b")
    assert revisit.type == "revisit"
    assert revisit["WARC-Profile"] == "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
    assert revisit["WARC-Refers-To"] == original["WARC-Record-ID"]
    assert revisit["WARC-Refers-To-Target-URI"] == crawl.base + "/same-a"
    assert revisit["WARC-Refers-To-Date"] == original["WARC-Date"]
    assert revisit["WARC-Payload-Digest"] == original["WARC-Payload-Digest"]
    assert revisit.block == CANNED[b"/same-b"].split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"


def test_sources_point_at_the_records(crawl: Crawl) -> None:
    items = {item["url"].removeprefix(crawl.base): item for item in crawl.items()}
    redirect, target = items["/page?b=2&a=1&q=caf%C3%A9"]["sources"][-2:]
    assert (redirect["url"], redirect["status"]) == (crawl.base + "/redirect", 301)
    for source in [redirect, target, *items["/missing"]["sources"], *items["/gzip"]["sources"]]:
        assert source["warc_filename"] == crawl.warc.name
        with crawl.warc.open("rb") as fh:
            fh.seek(source["warc_offset"])
            member = fh.read(source["warc_length"])
        # Offset and length span exactly one gzip member holding the whole record.
        record = next(iter(ArchiveIterator(io.BytesIO(member))))
        assert record.rec_headers.get_header("WARC-Record-ID") == source["warc_record_id"]
        assert record.rec_headers.get_header("WARC-Target-URI") == source["url"]
        assert zlib.decompress(member, 31).endswith(b"\r\n\r\n")
        warc_date = record.rec_headers.get_header("WARC-Date")
        assert datetime.fromisoformat(source["captured_at"]) == datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
        assert source["captured_at"].endswith("+00:00")


def test_raw_bytes_do_not_travel_on_to_the_spider(crawl: Crawl) -> None:
    assert [item["raw_capture_in_meta"] for item in crawl.items()] == [False] * 16


def test_bad_setting_stops_the_crawl_and_says_why(server: str, tmp_path: Path) -> None:
    # An archival crawl that silently archives nothing is worse than one that refuses to start.
    done = subprocess.run(crawl_command([server + "/cookies"], tmp_path, "bad", WARC_GZIP_LEVEL="11"), cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "WarcSettingError: WARC_GZIP_LEVEL must be at least 0 and at most 9, got 11" in done.stderr
    assert not (tmp_path / "bad").exists(), "nothing is written, not even the job folder"


def test_warcio_check_passes_with_digests(crawl: Crawl) -> None:
    done = subprocess.run([BIN / "warcio", "check", "-v", crawl.warc], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    assert done.stdout.count("digest pass") == 37  # warcinfo, 19 requests, 19 responses less 2 revisits
    assert done.stdout.count("digest present but not checked (revisit)") == 2
    assert "no digest to check" not in done.stdout


def test_warcio_index_gives_no_warning(crawl: Crawl) -> None:
    done = subprocess.run([BIN / "warcio", "index", crawl.warc], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "")
    assert len(done.stdout.splitlines()) == 39


def test_cdxj_indexer_indexes_every_capture(crawl: Crawl, tmp_path: Path) -> None:
    subprocess.run([BIN / "cdxj-indexer", "-o", tmp_path / "out.cdxj", crawl.warc], check=True)
    lines = (tmp_path / "out.cdxj").read_text().splitlines()
    assert len(lines) == 19
    assert sum('"mime": "warc/revisit"' in line for line in lines) == 2


def test_fastwarc_check_passes(crawl: Crawl) -> None:
    done = subprocess.run([BIN / "fastwarc", "check", "-q", crawl.warc], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_our_check_passes(crawl: Crawl) -> None:
    report = check_warcs([crawl.job])
    assert report.ok
    assert (report.files[0].records, report.files[0].digests_verified) == (39, 39)


def test_second_crawl_into_the_archive_writes_revisits(crawl: Crawl, server: str) -> None:
    run_crawl([server + "/cookies", server + "/missing"], crawl.archive, "again")
    records = read_records(next((crawl.archive / "again").glob("*.warc.gz")))
    captures = {r["WARC-Target-URI"].removeprefix(server): r for r in records if r.type in ("response", "revisit")}
    for path in ("/robots.txt", "/cookies"):
        assert captures[path].type == "revisit"
        assert captures[path]["WARC-Refers-To"] == crawl.responses(path)[0]["WARC-Record-ID"]
    # A 404 is archived in full every time: only 2xx payloads are deduplicated.
    assert captures["/missing"].type == "response"


def test_responses_from_the_cache_are_not_archived(server: str, tmp_path: Path) -> None:
    cache = {"HTTPCACHE_ENABLED": "True", "HTTPCACHE_DIR": str(tmp_path / "cache")}
    run_crawl([server + "/cookies"], tmp_path, "first", **cache)
    log = run_crawl([server + "/cookies"], tmp_path, "cached", **cache)
    assert "'warc/responses_not_archived': 2" in log  # robots.txt and the page
    assert not list((tmp_path / "cached").glob("*.warc*"))


def test_killed_crawl_leaves_readable_records(server: str, tmp_path: Path) -> None:
    urls = [server + "/cookies", server + "/gzip", server + "/slow"]
    process = subprocess.Popen(
        crawl_command(urls, tmp_path, "killed", CONCURRENT_REQUESTS="1"), cwd=REPO,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    items = tmp_path / "killed" / "items.jsonl"
    deadline = time.monotonic() + 60
    while not (items.exists() and items.read_text().count("\n") == 2):
        assert time.monotonic() < deadline, "the crawl did not reach /slow"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = items.read_text()
    assert written.endswith("\n") and len([json.loads(line) for line in written.splitlines()]) == 2
    (warc,) = (tmp_path / "killed").glob("*.warc.gz.open")
    assert [r.type for r in read_records(warc)] == ["warcinfo"] + ["request", "response"] * 3
    report = check_warc(warc)
    assert (report.unfinished, report.problems, report.digests_verified) == (True, [], 7)
    # A kill in the middle of a write leaves a cut last member: check names it by offset.
    last = read_records(warc)[-1].offset
    cut = warc.with_name("cut-" + warc.name)
    shutil.copyfile(warc, cut)
    with cut.open("r+b") as fh:
        fh.truncate(last + 30)
    assert check_warc(cut).problems == [Problem(last, "gzip member cut off: the file ends 30 bytes into it")]


def test_ctrl_c_finishes_the_warc_files(server: str, tmp_path: Path) -> None:
    urls = [server + "/cookies", server + "/gzip", server + "/slow"]
    process = subprocess.Popen(
        crawl_command(urls, tmp_path, "interrupted", CONCURRENT_REQUESTS="1", DOWNLOAD_TIMEOUT="2"), cwd=REPO,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    items = tmp_path / "interrupted" / "items.jsonl"
    deadline = time.monotonic() + 60
    while not (items.exists() and items.read_text().count("\n") == 2):
        assert time.monotonic() < deadline, "the crawl did not reach /slow"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the crawl and its WARC writer alike
    _, log = process.communicate(timeout=60)
    assert "Traceback" not in log
    assert "'finish_reason': 'shutdown'" in log
    (warc,) = (tmp_path / "interrupted").glob("*.warc*")
    assert warc.name.endswith(".warc.gz"), "closed and renamed, not left .open"
    assert [r.type for r in read_records(warc)] == ["warcinfo"] + ["request", "response"] * 3
    assert check_warc(warc).ok


def test_https_records_hold_the_http_bytes_inside_tls(tmp_path: Path) -> None:
    with running_raw_server(tls_pem=write_self_signed_pem(tmp_path / "tls.pem")) as server:
        run_crawl([server + "/chunked", server + "/echo"], tmp_path, "tls")
    crawl = Crawl(server, tmp_path, tmp_path / "tls", "")
    assert crawl.responses("/chunked")[0].block == CANNED[b"/chunked"]
    (echo,) = crawl.responses("/echo")
    assert crawl.request_for(echo).block == echo.payload
    assert echo["WARC-Target-URI"].startswith("https://127.0.0.1:")


def test_rotation_keeps_pairs_together(server: str, tmp_path: Path) -> None:
    run_crawl([server + path for path in ("/cookies", "/gzip", "/chunked", "/image.png")], tmp_path, "rotated",
              WARC_MAX_SIZE="1500")  # fmt: skip
    files = sorted((tmp_path / "rotated").glob("warcfetch-*"))
    assert [re.sub(r"\d{17}", "TIMESTAMP", f.name) for f in files] == [
        f"warcfetch-TIMESTAMP-{serial:05d}-{files[0].name.rsplit('-', 1)[1]}" for serial in range(len(files))
    ]
    assert len(files) >= 3
    for file in files:
        records = read_records(file)
        assert records[0].type == "warcinfo" and records[0]["WARC-Filename"] == file.name
        ids = {r["WARC-Record-ID"] for r in records}
        assert all(r["WARC-Concurrent-To"] in ids for r in records[1:])
        assert all(r["WARC-Warcinfo-ID"] == records[0]["WARC-Record-ID"] for r in records[1:])
    assert check_warcs([tmp_path / "rotated"]).ok


def test_unwritable_warc_folder_stops_the_crawl(server: str, tmp_path: Path) -> None:
    (tmp_path / "a-file").touch()
    log = run_crawl([server + "/cookies"], tmp_path, "unwritable", WARC_DIR=str(tmp_path / "a-file" / "warcs"))
    error = f"NotADirectoryError: [Errno 20] Not a directory: '{tmp_path}/a-file/warcs'"
    assert f"Cannot write WARC records ({error}); stopping the crawl" in log
    assert "'finish_reason': 'warc_write_failed'" in log
    assert (tmp_path / "unwritable" / "items.jsonl").read_text() == ""

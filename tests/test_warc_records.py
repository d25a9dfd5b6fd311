"""WARC record builders, file writing and the digest index: pinned inputs, bytes written out by hand."""

from __future__ import annotations

import dataclasses
import gzip
import json
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler.warc.dedup import DigestIndex
from crawler.warc.config import WarcConfig, WarcSettingError
from crawler.warc.records import (
    Original,
    PairFields,
    http_head_length,
    interim_responses_length,
    payload_digest,
    request_record,
    response_record,
    revisit_record,
    warc_date,
    warc_record,
    warcinfo_record,
)
from crawler.warc.warcinfo import spider_arguments
from crawler.warc.writer import WarcFileWriter, warc_filename

MOMENT = datetime(2026, 1, 25, 10, 30, 0, 123456, tzinfo=timezone.utc)
RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"
REQUEST = b"GET /a?b=1 HTTP/1.1\r\nHost: example.com\r\n\r\n"
RESPONSE_PAIR = PairFields(
    record_id="<urn:uuid:00000000-0000-4000-8000-000000000002>",
    date=MOMENT,
    target_uri="http://example.com/a?b=1",
    warcinfo_id="<urn:uuid:00000000-0000-4000-8000-000000000000>",
    concurrent_to="<urn:uuid:00000000-0000-4000-8000-000000000001>",
    ip_address="93.184.216.34",
)
REQUEST_PAIR = PairFields(
    record_id="<urn:uuid:00000000-0000-4000-8000-000000000001>",
    date=MOMENT,
    target_uri="http://example.com/a?b=1",
    warcinfo_id="<urn:uuid:00000000-0000-4000-8000-000000000000>",
    concurrent_to="<urn:uuid:00000000-0000-4000-8000-000000000002>",
    ip_address="93.184.216.34",
)


def test_response_record_bytes() -> None:
    assert response_record(RESPONSE_PAIR, RESPONSE) == (
        b"WARC/1.1\r\n"
        b"WARC-Type: response\r\n"
        b"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000002>\r\n"
        b"WARC-Date: 2026-01-25T10:30:00.123456Z\r\n"
        b"WARC-Target-URI: http://example.com/a?b=1\r\n"
        b"WARC-IP-Address: 93.184.216.34\r\n"
        b"WARC-Concurrent-To: <urn:uuid:00000000-0000-4000-8000-000000000001>\r\n"
        b"WARC-Warcinfo-ID: <urn:uuid:00000000-0000-4000-8000-000000000000>\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        b"WARC-Block-Digest: sha1:LRYKYE6JURFXLGHETF373AYPQNPBXBUU\r\n"
        b"WARC-Payload-Digest: sha1:VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N\r\n"
        b"Content-Length: 69\r\n"
        b"\r\n" + RESPONSE + b"\r\n\r\n"
    )


def test_truncated_response_record_says_so() -> None:
    record = response_record(RESPONSE_PAIR, RESPONSE, truncated="disconnect")
    assert b"WARC-Payload-Digest: sha1:VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N\r\nWARC-Truncated: disconnect\r\n" in record


def test_request_record_bytes() -> None:
    assert request_record(REQUEST_PAIR, REQUEST) == (
        b"WARC/1.1\r\n"
        b"WARC-Type: request\r\n"
        b"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000001>\r\n"
        b"WARC-Date: 2026-01-25T10:30:00.123456Z\r\n"
        b"WARC-Target-URI: http://example.com/a?b=1\r\n"
        b"WARC-IP-Address: 93.184.216.34\r\n"
        b"WARC-Concurrent-To: <urn:uuid:00000000-0000-4000-8000-000000000002>\r\n"
        b"WARC-Warcinfo-ID: <urn:uuid:00000000-0000-4000-8000-000000000000>\r\n"
        b"Content-Type: application/http; msgtype=request\r\n"
        b"WARC-Block-Digest: sha1:SNBVKBBUEFGKMX3CXOK6GNEGIYO4PNXL\r\n"
        b"WARC-Payload-Digest: sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ\r\n"
        b"Content-Length: 42\r\n"
        b"\r\n" + REQUEST + b"\r\n\r\n"
    )


def test_revisit_record_keeps_the_head_and_refers_to_the_original() -> None:
    original = Original(
        record_id="<urn:uuid:00000000-0000-4000-8000-0000000000aa>",
        target_uri="http://example.com/first",
        date=datetime(2026, 1, 24, 8, 0, 0, tzinfo=timezone.utc),
    )
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n"
    assert revisit_record(RESPONSE_PAIR, RESPONSE, original) == (
        b"WARC/1.1\r\n"
        b"WARC-Type: revisit\r\n"
        b"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000002>\r\n"
        b"WARC-Date: 2026-01-25T10:30:00.123456Z\r\n"
        b"WARC-Target-URI: http://example.com/a?b=1\r\n"
        b"WARC-IP-Address: 93.184.216.34\r\n"
        b"WARC-Concurrent-To: <urn:uuid:00000000-0000-4000-8000-000000000001>\r\n"
        b"WARC-Warcinfo-ID: <urn:uuid:00000000-0000-4000-8000-000000000000>\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        b"WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest\r\n"
        b"WARC-Refers-To: <urn:uuid:00000000-0000-4000-8000-0000000000aa>\r\n"
        b"WARC-Refers-To-Target-URI: http://example.com/first\r\n"
        b"WARC-Refers-To-Date: 2026-01-24T08:00:00Z\r\n"
        b"WARC-Block-Digest: sha1:DT2LHVQSCIH7RVGUT3QYASAEELI6CKRT\r\n"
        b"WARC-Payload-Digest: sha1:VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N\r\n"
        b"Content-Length: 64\r\n"
        b"\r\n" + head + b"\r\n\r\n"
    )


def test_warcinfo_record_bytes() -> None:
    info = [("software", "test/1.0"), ("format", "WARC File Format 1.1")]
    record = warcinfo_record("<urn:uuid:00000000-0000-4000-8000-000000000000>", MOMENT, "t-1.warc.gz", info)
    assert record == (
        b"WARC/1.1\r\n"
        b"WARC-Type: warcinfo\r\n"
        b"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000000>\r\n"
        b"WARC-Date: 2026-01-25T10:30:00.123456Z\r\n"
        b"WARC-Filename: t-1.warc.gz\r\n"
        b"Content-Type: application/warc-fields\r\n"
        b"WARC-Block-Digest: sha1:NTTEDWBESWZ4KSEFTRO63E575KTJBPBR\r\n"
        b"Content-Length: 50\r\n"
        b"\r\n"
        b"software: test/1.0\r\nformat: WARC File Format 1.1\r\n"
        b"\r\n\r\n"
    )


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ([("WARC-Target-URI", "http://a/\r\nX-Injected: 1")], "WARC field WARC-Target-URI must be one line"),
        ([("WARC-Type", "response\n")], "WARC field WARC-Type must be one line"),
    ],
)
def test_field_values_cannot_break_the_header(fields: list[tuple[str, str]], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        warc_record(fields, b"")


@pytest.mark.parametrize(
    ("message", "head_length"),
    [
        (b"HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody", 25),
        (b"HTTP/1.1 200 OK\nA: b\n\nbody", 22),
        (b"HTTP/1.1 200 OK\r\nA: b\n\r\nbody", 24),
        (b"HTTP/1.1 200 OK\r\nA: b\r\n \r\nbody", 26),  # a whitespace-only line ends the head, as in warcio
        (b"HTTP/1.1 204 No Content\r\n\r\n", 27),
        (b"HTTP/1.1 200 OK\r\nA: b\r\n", 23),  # no blank line: all head
        (b"", 0),
        (b"\r\nbody", 2),
    ],
)
def test_http_head_length(message: bytes, head_length: int) -> None:
    assert http_head_length(message) == head_length


@pytest.mark.parametrize(
    ("message", "digest"),
    [
        (RESPONSE, "sha1:VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N"),
        (b"HTTP/1.1 200 OK\nContent-Length: 5\n\nhello", "sha1:VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N"),
        (b"HTTP/1.1 301 Moved\r\nLocation: /\r\n\r\n", "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"),
        # Chunked framing is part of the payload as transferred.
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
         "sha1:FPKJFAEPEIMEFSS2G2SDNSN5YKX3N5JX"),
    ],
)
def test_payload_digest(message: bytes, digest: str) -> None:
    assert payload_digest(message) == digest


@pytest.mark.parametrize(
    ("response", "interim"),
    [
        (b"HTTP/1.1 200 OK\r\n\r\n", 0),
        (b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", 25),
        (b"HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", 69),
        (b"HTTP/1.1 199 Misc\r\n\r\n", 21),
    ],
)
def test_interim_responses_length(response: bytes, interim: int) -> None:
    assert interim_responses_length(response) == interim


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (MOMENT, "2026-01-25T10:30:00.123456Z"),
        (datetime(2026, 1, 25, 10, 30, tzinfo=timezone.utc), "2026-01-25T10:30:00Z"),
        (datetime(2026, 1, 25, 13, 30, 0, 5, tzinfo=timezone(timedelta(hours=3))), "2026-01-25T10:30:00.000005Z"),
    ],
)
def test_warc_date(moment: datetime, text: str) -> None:
    assert warc_date(moment) == text


@pytest.mark.parametrize(
    ("prefix", "serial", "gzip", "name"),
    [
        ("topwar", 0, True, "topwar-20260125103000123-00000-host.warc.gz"),
        ("urls", 12, False, "urls-20260125103000123-00012-host.warc"),
    ],
)
def test_warc_filename(prefix: str, serial: int, gzip: bool, name: str) -> None:
    assert warc_filename(prefix, MOMENT, serial, "host", gzip) == name


def _writer(tmp_path: Path, **overrides: object) -> WarcFileWriter:
    options: dict = {
        "warcinfo": [("software", "test/1.0")],
        "max_size": 1_000_000,
        "gzip_level": 6,
        "hostname": "host",
        "clock": lambda: MOMENT,
    }
    options.update(overrides)
    return WarcFileWriter(tmp_path, "t", **options)


def test_writer_writes_open_file_then_renames_it(tmp_path: Path) -> None:
    writer = _writer(tmp_path)
    writer.write_records([b"first", b"second"])
    assert [p.name for p in tmp_path.iterdir()] == ["t-20260125103000123-00000-host.warc.gz.open"]
    writer.close()
    assert [p.name for p in tmp_path.iterdir()] == ["t-20260125103000123-00000-host.warc.gz"]


def test_writer_makes_one_gzip_member_per_record_at_the_placed_offsets(tmp_path: Path) -> None:
    writer = _writer(tmp_path)
    first, second = writer.write_records([b"first record", b"second record"])
    writer.close()
    data = (tmp_path / first.filename).read_bytes()
    assert zlib.decompress(data[first.offset : first.offset + first.length], 31) == b"first record"
    assert zlib.decompress(data[second.offset : second.offset + second.length], 31) == b"second record"
    assert second.offset + second.length == len(data)
    assert gzip.decompress(data[: first.offset]).startswith(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n")


def test_writer_without_gzip_writes_plain_records(tmp_path: Path) -> None:
    writer = _writer(tmp_path, gzip_level=None)
    (placed,) = writer.write_records([b"plain"])
    writer.close()
    data = (tmp_path / "t-20260125103000123-00000-host.warc").read_bytes()
    assert data[placed.offset :] == b"plain"


def test_writer_rotates_after_the_size_limit_without_splitting_a_write(tmp_path: Path) -> None:
    writer = _writer(tmp_path, gzip_level=None, max_size=400)
    a, b = writer.write_records([b"a" * 300, b"b" * 300])
    (c,) = writer.write_records([b"c" * 10])
    writer.close()
    assert a.filename == b.filename == "t-20260125103000123-00000-host.warc"
    assert c.filename == "t-20260125103000123-00001-host.warc"
    assert [p.name for p in writer.closed_files] == [a.filename, c.filename]
    second = (tmp_path / c.filename).read_bytes()
    assert second.startswith(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n")
    assert b"WARC-Filename: t-20260125103000123-00001-host.warc\r\n" in second


def test_digest_index_is_shared_across_crawls(tmp_path: Path) -> None:
    original = Original("<urn:uuid:00000000-0000-4000-8000-0000000000aa>", "http://example.com/", MOMENT)
    index = DigestIndex(tmp_path / "digests.sqlite3")
    index.add("sha1:VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N", original, "a.warc.gz")
    index.close()
    reopened = DigestIndex(tmp_path / "digests.sqlite3")
    assert reopened.lookup("sha1:VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N") == original
    assert reopened.lookup("sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ") is None


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("WARC_MAX_SIZE", "big", "WARC_MAX_SIZE must be a whole number, got 'big'"),
        ("WARC_MAX_SIZE", 0, "WARC_MAX_SIZE must be at least 1, got 0"),
        ("WARC_GZIP_LEVEL", 10, "WARC_GZIP_LEVEL must be at least 0 and at most 9, got 10"),
        ("WARC_GZIP", "maybe", "WARC_GZIP must be True or False, got 'maybe'"),
        ("WARC_PREFIX", "../x", "WARC_PREFIX must be letters, digits, '.', '_' or '-', got '../x'"),
        ("WARC_OPERATOR", "a\nb", "WARC_OPERATOR must be one line, got 'a\\\\nb'"),
    ],
)
def test_bad_settings_name_the_setting(name: str, value: object, message: str) -> None:
    settings = Settings({"WARC_MAX_SIZE": 1000, "WARC_GZIP_LEVEL": 6, "WARC_GZIP": True, name: value})
    with pytest.raises(WarcSettingError, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
        WarcConfig.from_settings(settings)


class _ParamsSpider:
    @dataclasses.dataclass
    class Params:
        start_urls: list[str]
        since: datetime | None

    def __init__(self) -> None:
        self.params = self.Params(["http://example.com/"], datetime(2020, 9, 13, tzinfo=timezone.utc))
        self.profile = object()


class _PlainSpider:
    def __init__(self) -> None:
        self.crawler = object()
        self.urls = [f"http://example.com/{n}" for n in range(52)]
        self.depth = 2
        self._private = "x"


@pytest.mark.parametrize(
    ("spider", "arguments"),
    [
        (_ParamsSpider(), {"since": "2020-09-13 00:00:00+00:00", "start_urls": ["http://example.com/"]}),
        (_PlainSpider(), {"depth": 2, "urls": [f"http://example.com/{n}" for n in range(50)] + ["... 2 more"]}),
    ],
)
def test_spider_arguments(spider: object, arguments: dict) -> None:
    assert json.loads(spider_arguments(spider)) == arguments  # type: ignore[arg-type]

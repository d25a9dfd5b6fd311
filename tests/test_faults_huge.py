"""Hostile WARC input: a record far bigger than memory, and a Content-Length no file could honour.

The WARCs are written here, record by record: a warcinfo record, a small
article page, the hostile record, two more article pages. ``reprocess``
runs in a child process under a memory limit (``RLIMIT_AS``) and a time
limit; the pages around the hostile record must come out, and the hostile
record must be named as a problem with its file and offset.
"""

from __future__ import annotations

import resource
import subprocess
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.warc.records import PairFields, response_record, warc_date, warcinfo_record
from crawler.warc.writer import gzip_member
from faultkit import by_url, jsonl, newsarchive
from hostile import page

MOMENT = datetime(2026, 1, 25, 10, 30, tzinfo=timezone.utc)
HUGE = 1536 << 20  # 1.5 GiB of body
MEMORY_LIMIT = 1 << 30
TIME_LIMIT = 180  # seconds: the normal pages take about two; reading 1.5 GiB from disk needs no more than this


def _response(n: int, minute: int) -> bytes:
    body = page(f"article {n}")
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(body)
    pair = PairFields(f"<urn:uuid:00000000-0000-0000-0000-00000000000{n}>", MOMENT + timedelta(minutes=minute),
                      f"http://hostile.test/article-{n}.html", "<urn:uuid:00000000-0000-0000-0000-0000000000ff>",
                      f"<urn:uuid:00000000-0000-0000-0000-00000000010{n}>")
    return response_record(pair, http + body)


def _warcinfo(name: str) -> bytes:
    return warcinfo_record("<urn:uuid:00000000-0000-0000-0000-0000000000ff>", MOMENT, name,
                           [("software", "test"), ("isPartOf", "hostile")])


def _huge_head(length: int) -> bytes:
    """The WARC head of a response record of *length* block bytes (no digests: nothing to check them against)."""
    return (f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-0000000000aa>\r\n"
            f"WARC-Date: {warc_date(MOMENT + timedelta(minutes=1))}\r\nWARC-Target-URI: http://hostile.test/huge.html\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n").encode()


def _huge_member() -> bytes:
    """One gzip member holding a response record of :data:`HUGE` body bytes (about 1.5 MB compressed)."""
    http_head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % HUGE
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [compressor.compress(_huge_head(len(http_head) + HUGE) + http_head)]
    chunk = b"<p>" + b"x" * ((1 << 20) - 8) + b"</p>\n"
    assert len(chunk) == 1 << 20
    parts += [compressor.compress(chunk) for _ in range(HUGE >> 20)]
    parts.append(compressor.compress(b"\r\n\r\n") + compressor.flush())
    return b"".join(parts)


@pytest.fixture(scope="module")
def huge_gz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("huge") / "huge.warc.gz"
    members = [gzip_member(_warcinfo(path.name), 6), gzip_member(_response(1, 0), 6), _huge_member(),
               gzip_member(_response(2, 2), 6), gzip_member(_response(3, 3), 6)]
    path.write_bytes(b"".join(members))
    assert path.stat().st_size < 2 << 20
    return path


def _reprocess_limited(warc: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return newsarchive("reprocess", str(warc), "--spider", "urls", "-o", str(out), "--workers", "1",
                       limits=[(resource.RLIMIT_AS, MEMORY_LIMIT)], timeout=TIME_LIMIT)


def test_memory_limit_leaves_a_normal_run_alone(tmp_path):
    warc = tmp_path / "small.warc.gz"
    warc.write_bytes(b"".join(gzip_member(r, 6) for r in (_warcinfo(warc.name), _response(1, 0), _response(2, 2))))
    done = _reprocess_limited(warc, tmp_path / "out.jsonl")
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(jsonl(tmp_path / "out.jsonl")) == 2


@pytest.mark.slow
def test_a_record_bigger_than_memory_is_refused_and_the_rest_read(huge_gz, tmp_path):
    done = _reprocess_limited(huge_gz, tmp_path / "out.jsonl")
    assert "MemoryError" not in done.stderr and "Traceback" not in done.stderr, done.stderr[-3000:]
    lines = by_url(jsonl(tmp_path / "out.jsonl"))
    assert {f"http://hostile.test/article-{n}.html" for n in (1, 2, 3)} <= set(lines)
    assert "http://hostile.test/huge.html" not in lines or lines["http://hostile.test/huge.html"]["warnings"]
    problems = done.stdout[done.stdout.index("problems (file: offset: what):"):]
    assert f"{huge_gz}: offset " in problems
    assert done.returncode == 1  # something could not be read, and it is said


def _plain_warc(path: Path, hostile: bytes) -> Path:
    path.write_bytes(_warcinfo(path.name) + _response(1, 0) + hostile + _response(2, 2) + _response(3, 3))
    return path


@pytest.mark.parametrize("claimed", [10**15, 1 << 40])
def test_an_absurd_content_length_loses_no_record_after_it(tmp_path, claimed):
    body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>a short body</html>"
    warc = _plain_warc(tmp_path / "absurd.warc", _huge_head(claimed).replace(
        b"<urn:uuid:00000000-0000-0000-0000-0000000000aa>", b"<urn:uuid:00000000-0000-0000-0000-0000000000ab>")
        + body + b"\r\n\r\n")
    done = newsarchive("reprocess", str(warc), "--spider", "urls", "-o", str(tmp_path / "out.jsonl"),
                       limits=[(resource.RLIMIT_AS, MEMORY_LIMIT)], timeout=TIME_LIMIT)
    lines = by_url(jsonl(tmp_path / "out.jsonl"))
    assert {f"http://hostile.test/article-{n}.html" for n in (1, 2, 3)} <= set(lines), done.stdout[-3000:]
    offset = len(_warcinfo(warc.name) + _response(1, 0))
    assert f"{warc}: offset {offset}: " in done.stdout
    assert done.returncode == 1

"""Records bigger than the record-size limit: counted and named with file and offset, never read whole.

Each WARC is written here: a warcinfo record, two small pages, a big page
(615 KiB of body, compressing to a few KiB) and one more small page, gzipped
record by record or not at all. With a limit of 100 KiB the big record is
reported, not read, and every other record is read and verified as usual;
with no limit, or a limit above it, it is an ordinary record. The expected
sizes and offsets are counted here from the bytes written.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.cli import main
from crawler.reprocess import reprocess
from crawler.warc.check import check_warc
from crawler.warc.extract import RecordTooBig, read_record
from crawler.warc.index import index_warcs
from crawler.warc.records import PairFields, response_record, warcinfo_record
from crawler.warc.writer import gzip_member
from faultkit import newsarchive

MOMENT = datetime(2026, 1, 25, 10, 30, tzinfo=timezone.utc)
INFO_ID = "<urn:uuid:00000000-0000-0000-0000-0000000000f0>"
BIG_ID = "<urn:uuid:00000000-0000-0000-0000-0000000000b9>"
BIG_URL = "http://limit.test/big.html"
LIMIT = 100 << 10


def _http(body: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(body) + body


def _page(title: str, filler: bytes = b"") -> bytes:
    return (f"<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>The harbour reopened after a winter of repairs; {title} tells how.</p>").encode() + filler + (
        b"</article></body></html>")


BIG_HTTP = _http(_page("the big page", b"<p>" + b"all work and no play " * 30_000 + b"</p>"))


def _response(record_id: str, url: str, minute: int, http: bytes) -> bytes:
    pair = PairFields(record_id, MOMENT + timedelta(minutes=minute), url, INFO_ID,
                      record_id.replace("0000000000", "1111111111"))
    return response_record(pair, http)


def _records(name: str) -> list[bytes]:
    small = [_response(f"<urn:uuid:00000000-0000-0000-0000-00000000000{n}>", f"http://limit.test/page-{n}.html",
                       n, _http(_page(f"page {n}"))) for n in range(3)]
    info = warcinfo_record(INFO_ID, MOMENT, name, [("software", "test"), ("isPartOf", "limit")])
    return [info, small[0], small[1], _response(BIG_ID, BIG_URL, 5, BIG_HTTP), small[2]]


def _warc(folder: Path, gzipped: bool) -> tuple[Path, int]:
    """The WARC, and the offset of the big record (of its gzip member)."""
    path = folder / ("limit.warc.gz" if gzipped else "limit.warc")
    parts = [gzip_member(record, 6) if gzipped else record for record in _records(path.name)]
    path.write_bytes(b"".join(parts))
    return path, len(b"".join(parts[:3]))


def _too_big(path: Path, offset: int, limit: str) -> str:
    return (f"offset {offset}: record too big: response {BIG_ID} {BIG_URL} declares a block of {len(BIG_HTTP)} bytes "
            f"(615.5 KiB), more than the record-size limit of {limit}: not read, its digests unchecked")


def test_the_big_page_is_big_enough():
    assert len(BIG_HTTP) == 630_289  # 615.5 KiB
    assert len(gzip_member(BIG_HTTP, 6)) < 8 << 10, "compressed, it is small: only its data is big"


@pytest.mark.parametrize("gzipped", [True, False], ids=["gzip", "plain"])
@pytest.mark.parametrize(("limit", "problems", "verified"), [
    (LIMIT, ["too big: 100 KiB"], 4),
    (None, [], 5),
    (1 << 20, [], 5),
])
def test_check_counts_a_record_over_the_limit_and_reads_the_others(tmp_path, gzipped, limit, problems, verified):
    path, offset = _warc(tmp_path, gzipped)
    report = check_warc(path, limit)
    expected = [_too_big(path, offset, problem.removeprefix("too big: ")) for problem in problems]
    assert [f"offset {p.offset}: {p.message}" for p in report.problems] == expected
    assert (report.records, report.digests_verified) == (5, verified)


def test_the_default_limit_is_256_mib_and_the_command_takes_another(tmp_path):
    path, offset = _warc(tmp_path, gzipped=True)
    assert newsarchive("warc", "check", str(path)).returncode == 0
    done = newsarchive("warc", "check", "--max-record-size", "100K", str(path))
    assert done.returncode == 1
    assert f"{path}: {_too_big(path, offset, '100 KiB')}" in done.stdout.splitlines()


@pytest.mark.parametrize("size", ["0", "-5", "lots", "12Q", ""])
def test_a_record_size_that_is_no_size_is_refused(tmp_path, capsys, size):
    path, _ = _warc(tmp_path, gzipped=True)
    for command in (["warc", "check"], ["reprocess", "-o", str(tmp_path / "out.jsonl")]):
        with pytest.raises(SystemExit) as refused:
            main([*command, "--max-record-size", size, str(path)])
        assert refused.value.code == 2
        (line,) = capsys.readouterr().err.splitlines()
        assert "--max-record-size" in line and repr(size) in line
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize("gzipped", [True, False], ids=["gzip", "plain"])
def test_a_record_over_the_limit_is_not_read_back(tmp_path, gzipped):
    path, offset = _warc(tmp_path, gzipped)
    with pytest.raises(RecordTooBig) as refused:
        read_record(path, offset, limit=LIMIT)
    assert str(refused.value) == (f"record too big: response {BIG_ID} {BIG_URL} declares a block of {len(BIG_HTTP)} "
                                  "bytes (615.5 KiB), more than the record-size limit of 100 KiB: not read")
    assert read_record(path, offset, limit=None).block == BIG_HTTP


def test_a_gzip_member_bigger_than_its_record_says_is_not_read_past_the_limit(tmp_path):
    # A record that declares a small block, in a member that decompresses to 2 MiB: a bomb behind a small header.
    record = _response(BIG_ID, BIG_URL, 5, _http(_page("small")))
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(gzip_member(record + b"\0" * (2 << 20), 9))
    with pytest.raises(RecordTooBig, match=r"^record too big: its gzip member holds more than 1\.1 MiB, more than a "
                                           r"record within the record-size limit of 100 KiB takes: not read$"):
        read_record(path, 0, limit=LIMIT)


@pytest.mark.parametrize("gzipped", [True, False], ids=["gzip", "plain"])
def test_reprocessing_leaves_out_a_record_over_the_limit_and_says_where_it_is(tmp_path, gzipped):
    path, offset = _warc(tmp_path, gzipped)
    result = reprocess([path], output=tmp_path / "out.jsonl", spider="urls", progress="none", record_limit=LIMIT)
    assert [str(problem) for problem in result.problems] == [f"{path}: {_too_big(path, offset, '100 KiB')}"]
    assert (result.records, result.captures, result.articles, result.exit_status) == (5, 3, 3, 1)
    whole = reprocess([path], output=tmp_path / "whole.jsonl", spider="urls", progress="none")
    assert (whole.problems, whole.captures, whole.articles, whole.exit_status) == ([], 4, 4, 0)


def test_replay_from_a_cdxj_index_refuses_a_capture_over_the_limit(tmp_path):
    # A CDXJ index lists the big record as any other: the replay is what refuses it.
    path, offset = _warc(tmp_path, gzipped=True)
    with (tmp_path / "index.cdxj").open("w") as out:
        assert index_warcs([path], out).ok
    result = reprocess([path], output=tmp_path / "out.jsonl", spider="urls", progress="none", record_limit=LIMIT,
                       cdxj=tmp_path / "index.cdxj")
    reason = (f"record too big: response {BIG_ID} {BIG_URL} declares a block of {len(BIG_HTTP)} bytes (615.5 KiB), "
              "more than the record-size limit of 100 KiB: not read")
    assert [(miss.url, miss.reason) for miss in result.misses] == [(BIG_URL, reason)]
    assert [str(problem) for problem in result.problems] == [f"{path}: offset {offset}: {reason}"]
    assert (result.articles, result.exit_status) == (4, 1)
    assert f"{BIG_URL} <- (a starting point): {reason}" in result.summary()
    (line,) = [line for line in map(json.loads, (tmp_path / "out.jsonl").read_text().splitlines())
               if line["url"] == BIG_URL]
    assert (line["title"], line["sources"], line["warnings"]) == (None, [], [f"not fetched: NotInArchive: {reason}"])


ARCHIVES = Path(__file__).parent / "fixtures" / "archives"


def _arc_record(url: str, http: bytes) -> bytes:
    return f"{url} 93.184.216.34 20140216050323 text/html {len(http)}\n".encode() + http + b"\n"


@pytest.mark.parametrize("name", ["example.arc", "example.arc.gz"])
def test_an_arc_record_over_the_limit_is_counted_and_the_next_one_read(tmp_path, name):
    # warcio's example ARC file (a filedesc header and a capture), then the big page and a small one.
    original = (ARCHIVES / name).read_bytes()
    added = [_arc_record(BIG_URL, BIG_HTTP), _arc_record("http://limit.test/after.html", _http(_page("after")))]
    if name.endswith(".gz"):
        added = [gzip_member(record, 6) for record in added]
    path = tmp_path / name
    path.write_bytes(original + b"".join(added))
    report = check_warc(path, LIMIT)
    assert [(p.offset, p.message) for p in report.problems] == [
        (len(original), f"record too big: response {BIG_URL} declares a block of {len(BIG_HTTP)} bytes (615.5 KiB), "
                        "more than the record-size limit of 100 KiB: not read, its digests unchecked")]
    assert (report.records, sorted(report.offsets)[-2:]) == (4, [len(original), len(original) + len(added[0])])


def test_a_content_length_past_the_end_of_a_plain_file_under_the_limit_loses_no_record_after_it(tmp_path):
    # Under the limit the record is read as far as the file goes, found cut, and the records it swallowed read.
    records = _records("cut.warc")
    block = _http(_page("the lying page"))
    lying = _response(BIG_ID, BIG_URL, 5, block).replace(b"Content-Length: %d\r\n" % len(block),
                                                         b"Content-Length: %d\r\n" % (50 << 20), 1)
    path = tmp_path / "cut.warc"
    path.write_bytes(b"".join([*records[:3], lying, records[4]]))
    offset = len(b"".join(records[:3]))
    present = path.stat().st_size - (offset + lying.index(b"\r\n\r\n") + 4)  # from its block's start to the end
    report = check_warc(path)
    assert [(p.offset, p.message) for p in report.problems] == [
        (offset, f"record cut off: response {BIG_ID} {BIG_URL} has {present} of {50 << 20} block bytes")]
    assert (report.records, report.digests_verified) == (5, 4)

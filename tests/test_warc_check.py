"""``warc check`` and ``warc index`` on damaged copies of a small known WARC, and on other tools' WARCs."""

from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import SHARED

from crawler.warc.check import CheckReport, FileReport, Problem, check_warc, check_warcs, print_check_report, run_check
from crawler.warc.index import index_warcs, run_index
from crawler.warc.records import PairFields, response_record
from crawler.warc.writer import Placement, WarcFileWriter

REALWORLD = SHARED / "realworld-warcs"
MOMENT = datetime(2026, 1, 25, 10, 30, tzinfo=timezone.utc)
RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"


def _write_warc(directory: Path, gzip_level: int | None) -> tuple[Path, list[Placement]]:
    """warcinfo + three responses with ids <urn:uuid:r0>… for http://example.com/0…2."""
    writer = WarcFileWriter(
        directory, "t", warcinfo=[("software", "test")], max_size=10**9, gzip_level=gzip_level,
        hostname="host", clock=lambda: MOMENT,
    )
    placements = []
    for n in range(3):
        pair = PairFields(f"<urn:uuid:r{n}>", MOMENT, f"http://example.com/{n}", writer.warcinfo_id, "<urn:uuid:q>")
        placements += writer.write_records([response_record(pair, RESPONSE.replace(b"hello", f"hell{n}".encode()))])
    writer.close()
    return writer.closed_files[0], placements


@pytest.fixture
def gz(tmp_path: Path) -> tuple[Path, list[Placement]]:
    return _write_warc(tmp_path, 6)


@pytest.fixture
def plain(tmp_path: Path) -> tuple[Path, list[Placement]]:
    return _write_warc(tmp_path, None)


def _damaged(path: Path, data: bytes, name: str | None = None) -> Path:
    damaged = path.with_name(name or "damaged-" + path.name)
    damaged.write_bytes(data)
    return damaged


def test_intact_file_is_ok(gz: tuple[Path, list[Placement]]) -> None:
    report = check_warc(gz[0])
    assert (report.ok, report.records, report.digests_verified, report.problems) == (True, 4, 4, [])


def test_open_file_is_named_unfinished(gz: tuple[Path, list[Placement]]) -> None:
    path, _ = gz
    report = check_warc(_damaged(path, path.read_bytes(), path.name + ".open"))
    assert (report.unfinished, report.ok, report.problems) == (True, False, [])


def test_gzip_member_cut_in_its_trailer(gz: tuple[Path, list[Placement]]) -> None:
    path, placements = gz
    last = placements[-1]
    report = check_warc(_damaged(path, path.read_bytes()[:-4]))
    cut = last.length - 4
    assert report.problems == [Problem(last.offset, f"gzip member cut off: the file ends {cut} bytes into it")]
    assert (report.records, report.digests_verified) == (4, 4)


def test_gzip_member_cut_mid_record(gz: tuple[Path, list[Placement]]) -> None:
    path, placements = gz
    last = placements[-1]
    report = check_warc(_damaged(path, path.read_bytes()[: last.offset + last.length // 2]))
    assert {problem.offset for problem in report.problems} == {last.offset}
    assert report.problems[-1].message == f"gzip member cut off: the file ends {last.length // 2} bytes into it"
    assert report.digests_verified == 3


def test_garbage_between_gzip_members_is_skipped(gz: tuple[Path, list[Placement]]) -> None:
    path, placements = gz
    data = path.read_bytes()
    middle = placements[1].offset
    report = check_warc(_damaged(path, data[:middle] + b"GARBAGE!" + data[middle:]))
    assert report.problems == [Problem(middle, "not a gzip member")]
    assert (report.records, report.digests_verified) == (4, 4)


def test_corrupt_gzip_member_is_skipped(gz: tuple[Path, list[Placement]]) -> None:
    path, placements = gz
    data = bytearray(path.read_bytes())
    first = placements[0]
    data[first.offset + 20 : first.offset + 40] = b"\xff" * 20
    report = check_warc(_damaged(path, bytes(data)))
    assert [problem.offset for problem in report.problems] == [first.offset]
    assert report.problems[0].message.startswith("corrupt gzip member (Error -3 while decompressing data")
    assert (report.records, report.digests_verified) == (3, 3)


def test_wrong_digest(plain: tuple[Path, list[Placement]]) -> None:
    path, placements = plain
    data = path.read_bytes().replace(b"hell1", b"HELL1")
    report = check_warc(_damaged(path, data))
    assert [problem.offset for problem in report.problems] == [placements[1].offset]
    assert re.fullmatch(r"block digest failed: sha1:\w+; payload digest failed sha1:\w+: "
                        r"response <urn:uuid:r1> http://example.com/1", report.problems[0].message)


def test_uncompressed_truncated_tail(plain: tuple[Path, list[Placement]]) -> None:
    path, placements = plain
    report = check_warc(_damaged(path, path.read_bytes()[:-20]))
    assert report.problems == [
        Problem(
            placements[2].offset,
            "record cut off: response <urn:uuid:r2> http://example.com/2 has 53 of 69 block bytes",
        )
    ]


def test_uncompressed_content_length_too_short(plain: tuple[Path, list[Placement]]) -> None:
    path, placements = plain
    data = path.read_bytes()
    start = placements[1].offset
    damaged = data[:start] + data[start:].replace(b"Content-Length: 69\r\n", b"Content-Length: 62\r\n", 1)
    report = check_warc(_damaged(path, damaged))
    label = "response <urn:uuid:r1> http://example.com/1"
    # The bytes past the short block ("hell1" and CRLF) are not a record; reading resumes at the next one.
    assert [problem.offset for problem in report.problems] == [start, placements[2].offset - 9, start]
    assert re.fullmatch(rf"block digest failed: sha1:\w+; payload digest failed: sha1:\w+: {label}",
                        report.problems[0].message)
    assert report.problems[1].message == "unreadable: no WARC record starts here (the line there is 'hell1')"
    assert report.problems[2].message == f"block not followed by CRLF CRLF (wrong Content-Length?): {label}"
    assert report.records == 4


def test_uncompressed_garbage_is_skipped(plain: tuple[Path, list[Placement]]) -> None:
    path, placements = plain
    data = path.read_bytes()
    middle = placements[1].offset
    report = check_warc(_damaged(path, data[:middle] + b"garbage line\r\n" + data[middle:]))
    assert report.problems == [
        Problem(middle, "unreadable: no WARC record starts here (the line there is 'garbage line')")]
    assert report.records == 4


@pytest.mark.parametrize(
    ("name", "problems"),
    [
        ("warcio__example.warc.gz", []),
        ("warcio__example-iana.org-chunked.warc", []),
        ("pywb__dupes.warc.gz", []),
        ("fastwarc__clipped.warc.gz", [
            Problem(0, "record cut off: response <urn:uuid:f3dfa8fa-f031-4a38-90cc-1dcee3d07bb5> "
                       "http://www.houstonpress.com/music/a-humble-chance-the-rapper-leads-a-spiritual-awakening-at-"
                       "revention-8866723 has 75207 of 88275 block bytes"),
            Problem(0, "gzip member cut off: the file ends 18184 bytes into it"),
        ]),
        ("warcio__example-bad.warc.gz.bad", [
            Problem(0, "gzip member holds 6 records (one record per member expected)"),
        ]),
        ("warcio__example-digest.warc", [
            Problem(0, "payload digest failed: sha1:1112H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ: "
                       "request <urn:uuid:a9c5c23a-0221-11e7-8fe3-0242ac120007> http://example.com/"),
        ]),
    ],
)
def test_other_tools_warcs(name: str, problems: list[Problem]) -> None:
    if not REALWORLD.is_dir():
        pytest.skip(f"{REALWORLD} is not here")
    assert check_warc(REALWORLD / name).problems == problems


def test_folders_are_searched_and_the_report_printed(gz: tuple[Path, list[Placement]]) -> None:
    path, placements = gz
    _damaged(path, path.read_bytes()[:-4], "cut.warc.gz.open")
    out = io.StringIO()
    status = print_check_report(check_warcs([path.parent]), out)
    assert status == 1
    assert out.getvalue() == (
        f"{path.parent}/cut.warc.gz.open: PROBLEMS: 4 records, 4 digests verified\n"
        f"{path.parent}/cut.warc.gz.open: unfinished (.open): still being written, or its crawl was killed\n"
        f"{path.parent}/cut.warc.gz.open: offset {placements[-1].offset}: gzip member cut off: "
        f"the file ends {placements[-1].length - 4} bytes into it\n"
        f"{path}: OK: 4 records, 4 digests verified\n"
        "2 files, 8 records, 1 problems, 1 unfinished\n"
    )


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    report = check_warcs([tmp_path / "nope.warc.gz"])
    assert report.files[0].problems[0].message == "cannot read the file: No such file or directory"
    assert print_check_report(CheckReport([]), io.StringIO()) == 1
    assert FileReport(tmp_path).ok


def test_a_record_warcio_cannot_parse_is_damage_and_the_rest_is_read(plain: tuple[Path, list[Placement]]) -> None:
    path, placements = plain
    damaged = path.read_bytes().replace(b"WARC-Target-URI: http://example.com/0\r\n", b"", 1)
    report = check_warc(_damaged(path, damaged))
    assert report.problems == [
        Problem(placements[0].offset,
                "unreadable: the WARC record header lacks a field its record type needs, "
                "or has one that cannot be read")]
    assert report.records == 3, "the warcinfo record and the two responses after the damaged one"


@pytest.mark.parametrize(("content", "message"), [
    (b"# Notes\nWARC files are listed below.\n",
     "not a WARC or ARC file (it starts with '# Notes\\nWARC files are l')"),
    (b"url\tsource\texample.warc\n", "not a WARC or ARC file (it starts with 'url\\tsource\\texample.warc\\n')"),
    (b"", "the file is empty"),
    (b"\x04\x22\x4d\x18\x64\x40\xa7", "the file is LZ4-compressed, which WARC tools do not read: decompress it first "
                                   "(lz4 -d) and give the result"),
    (b"\x28\xb5\x2f\xfd\x04\x58", "the file is zstandard-compressed, which WARC tools do not read: decompress it "
                                "first (zstd -d) and give the result"),
    (b"\x1f\x8b\x08\x00" + bytes(6) + b"garbage", "a gzip file whose start cannot be decompressed"),
    (b"\x89PNG\r\n\x1a\n", "not a WARC or ARC file (it starts with the bytes 89 50 4e 47 0d 0a 1a 0a)"),
])
def test_a_file_that_is_no_warc_is_named_and_not_read_as_records(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "notes.warc"
    path.write_bytes(content)
    report = check_warc(path)
    assert (report.problems, report.records) == ([Problem(0, message)], 0)


def test_leading_garbage_before_the_first_record_is_skipped(plain: tuple[Path, list[Placement]]) -> None:
    path, _ = plain
    report = check_warc(_damaged(path, b"stray line\r\n" + path.read_bytes()))
    assert report.problems == [Problem(0, "unreadable: no WARC record starts here (the line there is 'stray line')")]
    assert report.records == 4, "every record after the stray line"


def test_index_has_one_sorted_line_per_response(gz: tuple[Path, list[Placement]]) -> None:
    path, placements = gz
    out = io.StringIO()
    report = index_warcs([path.parent], out)
    assert (report.indexed, report.failed, report.ok) == ([path], [], True)
    lines = out.getvalue().splitlines()
    assert [line.split(" ", 2)[:2] for line in lines] == [
        ["com,example)/0", "20260125103000"],
        ["com,example)/1", "20260125103000"],
        ["com,example)/2", "20260125103000"],
    ]
    assert f'"offset": "{placements[0].offset}"' in lines[0]
    assert f'"filename": "{path.name}"' in lines[0]


def test_index_goes_on_past_unreadable_files(gz: tuple[Path, list[Placement]], tmp_path: Path) -> None:
    if not REALWORLD.is_dir():
        pytest.skip(f"{REALWORLD} is not here")
    path, _ = gz
    whole_file_gzip = REALWORLD / "warcio__example-bad.warc.gz.bad"
    out = io.StringIO()
    report = index_warcs([whole_file_gzip, tmp_path / "missing.warc.gz", path], out)
    assert report.indexed == [path]
    assert report.failed == [
        (tmp_path / "missing.warc.gz", "no such file"),
        (whole_file_gzip, "the file is one gzip stream, not a gzip member per record: records cannot be "
                          "addressed by offset (warcio recompress makes it right)"),
    ]
    assert len(out.getvalue().splitlines()) == 3


def test_index_names_a_file_cut_mid_record(gz: tuple[Path, list[Placement]]) -> None:
    path, placements = gz
    last = placements[-1].offset
    cut = _damaged(path, path.read_bytes()[: last + 30])
    report = index_warcs([cut], io.StringIO())
    assert report.failed == [(cut, f"offset {last}: gzip member cut off: the file ends 30 bytes into it")]
    assert not report.ok


def test_run_check_and_run_index_give_exit_statuses(gz: tuple[Path, list[Placement]], tmp_path: Path) -> None:
    path, _ = gz
    assert run_check([path], io.StringIO()) == 0
    assert run_check([tmp_path / "empty-folder-has-no-warcs"], io.StringIO()) == 1
    err = io.StringIO()
    assert run_index([path], tmp_path / "out" / "index.cdxj", err) == 0
    assert len((tmp_path / "out" / "index.cdxj").read_text().splitlines()) == 3
    assert run_index([tmp_path / "gone.warc.gz"], tmp_path / "x.cdxj", err) == 1
    assert err.getvalue() == f"{tmp_path / 'gone.warc.gz'}: not indexed to its end: no such file\n"

"""Every kind of archive file the archive commands take: WARC, WARC.gz, .open, ARC, ARC.gz, WACZ, and mixes.

``reprocess``, ``warc check`` and ``warc index`` read them all; a compression
no WARC tool reads is named as such. Expected lines are written by hand from
what the fixtures hold (``tests/fixtures/archives/README.md`` says where the
ARC files come from; the rest is written by ``tests/archive_builder.py``).
"""

from __future__ import annotations

import gzip
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from archive_builder import article_html, html, wacz_1_0, wacz_archiveweb_page, write_warc
from crawler.reprocess import reprocess
from crawler.runs.outcome import RunRefused
from crawler.warc.check import check_warcs, print_check_report
from crawler.warc.index import index_warcs

FIXTURES = Path(__file__).parent / "fixtures" / "archives"
EXAMPLE_BODY = ("This domain is established to be used for illustrative examples in documents. You may use this "
                "domain in examples without prior coordination or asking for permission.")
BRIDGE = "http://news.example.org/2024/bridge-reopens"
BRIDGE_BODY = ("The harbour bridge reopened on Monday after eight months of repairs, the city council said.\n\n"
               "Engineers replaced the deck joints and repainted the steel arches; traffic is back to four lanes.")


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _gist(line: dict) -> tuple:
    """What a test states about a line: URL, title, body, warnings, and (file, offset, length, status) per source."""
    return (line["url"], line["title"], line["body"], line["warnings"],
            [(s["warc_filename"], s["warc_offset"], s["warc_length"], s["status"]) for s in line["sources"]])


@pytest.mark.parametrize(("name", "offset", "length"), [("example.arc", 151, 1657), ("example.arc.gz", 171, 856)])
def test_arc_files_are_reprocessed(tmp_path: Path, name: str, offset: int, length: int) -> None:
    output = tmp_path / "items.jsonl"
    result = reprocess([FIXTURES / name], output=output, spider="urls", progress="none")
    (line,) = _lines(output)
    assert _gist(line) == ("http://example.com/", "Example Domain", EXAMPLE_BODY, ["no publication date found"],
                           [(name, offset, length, 200)])
    # ARC records have no record id (warcio makes one up at every read: it must not reach the line).
    assert (line["fetched_at"], line["sources"][0]["warc_record_id"]) == ("2014-02-16T05:02:21+00:00", None)
    assert (result.exit_status, result.problems, result.records, result.captures) == (0, [], 2, 1)


def test_arc_files_are_checked_and_indexed() -> None:
    out = io.StringIO()
    assert print_check_report(check_warcs([FIXTURES / "example.arc", FIXTURES / "example.arc.gz"]), out) == 0
    assert out.getvalue() == (
        f"{FIXTURES}/example.arc: OK: 2 records, 0 digests verified, 2 without digest\n"
        f"{FIXTURES}/example.arc.gz: OK: 2 records, 0 digests verified, 2 without digest\n"
        "2 files, 4 records, 0 problems, 0 unfinished\n")
    index = io.StringIO()
    assert index_warcs([FIXTURES / "example.arc", FIXTURES / "example.arc.gz"], index).ok
    assert [json.loads(line.split(" ", 2)[2]) for line in index.getvalue().splitlines()] == [
        {"url": "http://example.com/", "mime": "text/html", "status": "200",
         "digest": "sha1:B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A", "length": "1656", "offset": "151",
         "filename": "example.arc"},
        {"url": "http://example.com/", "mime": "text/html", "status": "200",
         "digest": "sha1:B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A", "length": "856", "offset": "171",
         "filename": "example.arc.gz"},
    ]


def test_arc_records_with_no_usable_length_are_named() -> None:
    (report,) = check_warcs([FIXTURES / "bad.arc"]).files
    assert [(p.offset, p.message) for p in report.problems] == [
        (0, "the record's length field is '-1', not a byte count: its block cannot be delimited: warcinfo"),
        (134, "the record's length field is '-1', not a byte count: its block cannot be delimited: "
              "response http://example.com/"),
        (262, "the record's length field is 'abc', not a byte count: its block cannot be delimited: "
              "response http://example.com/"),
    ]


@pytest.fixture
def bridge_warc(tmp_path: Path) -> Path:
    warc = tmp_path / "bridge.warc.gz"
    write_warc(warc, [html(BRIDGE, article_html("Harbour bridge reopens"), date="2024-01-02T03:04:05Z")])
    return warc


def _wacz_create(package: Path, *warcs: Path) -> None:
    """``wacz create`` as a user runs it (in-process, importing wacz would change cdxj-indexer's defaults)."""
    done = subprocess.run([sys.executable, "-m", "wacz", "create", "-o", str(package), *map(str, warcs)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_wacz_from_the_wacz_tool_is_read_through_its_index(bridge_warc: Path, tmp_path: Path) -> None:
    package = tmp_path / "bridge.wacz"
    _wacz_create(package, bridge_warc)
    output = tmp_path / "items.jsonl"
    result = reprocess([package], output=output, spider="urls", progress="none")
    (line,) = _lines(output)
    assert _gist(line) == (BRIDGE, "Harbour bridge reopens", BRIDGE_BODY, [],
                           [("bridge.warc.gz", 0, bridge_warc.stat().st_size, 200)])
    assert (result.exit_status, [str(path) for path in result.files]) == (0, [f"{package}/archive/bridge.warc.gz"])
    out = io.StringIO()
    assert print_check_report(check_warcs([package]), out) == 0
    assert out.getvalue() == (f"{package}/archive/bridge.warc.gz: OK: 1 records, 1 digests verified\n"
                              "WACZ packages: 3 file digests verified\n"
                              "1 files, 1 records, 0 problems, 0 unfinished\n")


def test_a_wacz_1_0_package_with_a_zipnum_index(tmp_path: Path) -> None:
    warc = tmp_path / "data.warc"
    (offset,) = write_warc(warc, [html(BRIDGE, article_html("Harbour bridge reopens"))])
    length = warc.stat().st_size
    line = (f'org,example,news)/2024/bridge-reopens 20240102030405 {{"url": "{BRIDGE}", "mime": "text/html", '
            f'"status": "200", "offset": "{offset}", "length": "{length}", "filename": "data.warc"}}')
    package = tmp_path / "archiveweb-page.wacz"
    wacz_1_0(package, warc, [line], [{"url": BRIDGE, "ts": "2024-01-02T03:04:05Z", "title": "Harbour"}])
    warc.unlink()
    output = tmp_path / "items.jsonl"
    result = reprocess([package], output=output, spider="urls", progress="none")
    assert [_gist(line) for line in _lines(output)] == [
        (BRIDGE, "Harbour bridge reopens", BRIDGE_BODY, [], [("data.warc", 0, length, 200)])]
    assert result.exit_status == 0
    report = check_warcs([package])
    assert (report.ok, report.package_digests, report.packages) == (True, 4, [])


def test_an_archiveweb_page_package_is_read_through_its_index(tmp_path: Path) -> None:
    warc = tmp_path / "data.warc.gz"
    other = "http://news.example.org/2024/not-indexed"
    offsets = write_warc(warc, [html(BRIDGE, article_html("Harbour bridge reopens")),
                                html(other, article_html("Left out of the index"))])
    length = offsets[1] - offsets[0]
    line = (f'org,example,news)/2024/bridge-reopens 20240102030405000 {{"url":"{BRIDGE}","digest":"sha-256:00",'
            f'"mime":"text/html","offset":0,"length":{length},"status":200,"filename":"data.warc.gz"}}')
    package = tmp_path / "capture.wacz"
    wacz_archiveweb_page(package, warc, [line])
    output = tmp_path / "items.jsonl"
    result = reprocess([package], output=output, spider="urls", progress="none")
    # What the package's index lists is what replay tools offer, and what is read: one capture of two.
    assert [_gist(line) for line in _lines(output)] == [
        (BRIDGE, "Harbour bridge reopens", BRIDGE_BODY, [], [("data.warc.gz", 0, length, 200)])]
    assert (result.exit_status, result.records) == (0, 1)
    assert check_warcs([package]).ok


def test_a_wacz_whose_digest_or_index_is_wrong_is_reported(tmp_path: Path) -> None:
    warc = tmp_path / "data.warc"
    write_warc(warc, [html(BRIDGE, article_html("Harbour bridge reopens"))])
    line = (f'org,example,news)/2024/bridge-reopens 20240102030405 {{"url": "{BRIDGE}", "offset": "7", '
            f'"length": "100", "filename": "data.warc"}}')
    package = tmp_path / "bad.wacz"
    wacz_1_0(package, warc, [line], [])
    # Spoil the WARC inside: same length, one byte changed (a stored ZIP member is the bytes themselves).
    data = bytearray(package.read_bytes())
    at = data.index(b"harbour bridge reopened")
    data[at] = ord("H")
    package.write_bytes(bytes(data))
    out = io.StringIO()
    assert print_check_report(check_warcs([package]), out) == 1
    lines = out.getvalue().splitlines()
    assert f"{package}: archive/data.warc: damaged in the package (its CRC-32 does not match)" in lines
    assert f"{package}: index line 1: no record starts at offset 7 of data.warc" in lines
    # The damaged WARC is still read, and its own digests say which record suffered.
    assert f"{package}/archive/data.warc: offset 0: block digest failed" in out.getvalue()


def test_a_zip_that_is_no_wacz_is_refused(tmp_path: Path) -> None:
    package = tmp_path / "photos.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("photo.txt", "not a web archive")
    with pytest.raises(RunRefused) as refused:
        reprocess([package], output=tmp_path / "items.jsonl", progress="none")
    assert str(refused.value) == (f"no WARC files found in {package}; {package}: a ZIP file with no archive/ folder "
                                  "of WARC files: not a WACZ package")
    assert not (tmp_path / "items.jsonl").exists()


@pytest.mark.parametrize(("magic", "what", "undo"), [
    (b"\x04\x22\x4d\x18", "LZ4-compressed", "lz4 -d"),
    (b"\x28\xb5\x2f\xfd", "zstandard-compressed", "zstd -d"),
    (b"BZh91AY&SY", "bzip2-compressed", "bunzip2"),
    (b"\xfd7zXZ\x00\x00", "xz-compressed", "unxz"),
])
def test_unsupported_compressions_are_named(tmp_path: Path, magic: bytes, what: str, undo: str) -> None:
    path = tmp_path / "crawl.warc.x"
    path.write_bytes(magic + bytes(64))
    result = reprocess([path], output=tmp_path / "items.jsonl", progress="none")
    assert [(p.offset, p.message, p.unreadable) for p in result.problems] == [
        (0, f"the file is {what}, which WARC tools do not read: decompress it first ({undo}) and give the result",
         True)]
    assert result.exit_status == 1


def test_a_folder_mixing_every_kind(bridge_warc: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(FIXTURES / "example.arc", folder)
    shutil.copy(FIXTURES / "example.arc.gz", folder / "older.arc.gz")
    other = "http://news.example.org/2024/ferry-timetable"
    write_warc(folder / "ferry.warc", [html(other, article_html("New ferry timetable"), date="2024-02-01T00:00:00Z")])
    write_warc(folder / "ferry.warc.gz.open", [html(other + "-2", article_html("Ferry timetable, part two"))])
    _wacz_create(folder / "bridge.wacz", bridge_warc)
    (folder / "notes.txt").write_text("not an archive, and not named like one: left alone")
    output = tmp_path / "items.jsonl"
    result = reprocess([folder], output=output, spider="urls", all_captures=True, progress="none")
    assert sorted((line["url"], line["title"], line["sources"][0]["warc_filename"]) for line in _lines(output)) == [
        ("http://example.com/", "Example Domain", "example.arc"),
        ("http://example.com/", "Example Domain", "older.arc.gz"),
        (BRIDGE, "Harbour bridge reopens", "bridge.warc.gz"),
        (other, "New ferry timetable", "ferry.warc"),
        (other + "-2", "Ferry timetable, part two", "ferry.warc.gz"),
    ]
    assert (result.exit_status, len(result.files)) == (0, 5)


def test_a_gzip_of_something_else_is_named(tmp_path: Path) -> None:
    path = tmp_path / "list.warc.gz"
    path.write_bytes(gzip.compress(b"http://example.com/\nhttp://example.org/\n"))
    (report,) = check_warcs([path]).files
    assert [(p.offset, p.message) for p in report.problems] == [
        (0, "a gzip file, but what it holds is no WARC or ARC record (it starts with "
            "'http://example.com/\\nhttp')")]


def test_the_index_is_the_same_after_wacz_is_imported(bridge_warc: Path) -> None:
    import wacz.waczindexer  # noqa: F401 -- at import it adds warcinfo to cdxj-indexer's default record types

    index = io.StringIO()
    assert index_warcs([bridge_warc], index).ok
    assert [json.loads(line.split(" ", 2)[2])["url"] for line in index.getvalue().splitlines()] == [BRIDGE]

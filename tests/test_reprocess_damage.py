"""Reprocessing damaged WARCs: each fault named with its file, offset and exact text; every readable record used.

Each case is a small WARC (a warcinfo record and three HTML pages of its own
host) written here from pinned records, then damaged in one way. One run of
the ``urls`` spider over the folder of all cases serves every test; a test
looks at its own file's problems and its own host's lines.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.reprocess import ReprocessResult, reprocess
from crawler.reprocess.captures import ReadProblem
from crawler.warc.records import PairFields, response_record, warc_record, warcinfo_record

MOMENT = datetime(2026, 1, 25, 10, 30, tzinfo=timezone.utc)


def _page(host: str, n: int) -> bytes:
    html = (f"<!doctype html><html><head><title>Page {n} of {host}</title>"
            f'<meta property="article:published_time" content="2026-01-2{n}T08:00:00+00:00"></head>'
            f"<body><article><h1>Page {n} of {host}</h1><p>The harbour of {host} reopened on day {n} after "
            "a winter of repairs, and the first ferry of the season crossed the bay at dawn.</p>"
            "</article></body></html>")
    body = html.encode()
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(body)
    return head + body


def _records(host: str) -> list[bytes]:
    """warcinfo, then the responses for http://{host}/page-0.html … page-2.html, ids <urn:uuid:{host}-…>."""
    info = f"<urn:uuid:{host}-info>"
    records = [warcinfo_record(info, MOMENT, f"{host}.warc", [("software", "test"), ("isPartOf", host)])]
    for n in range(3):
        pair = PairFields(f"<urn:uuid:{host}-{n}>", MOMENT + timedelta(minutes=n), f"http://{host}/page-{n}.html",
                          info, f"<urn:uuid:{host}-request-{n}>")
        records.append(response_record(pair, _page(host, n)))
    return records


def _member(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return compressor.compress(data) + compressor.flush()


def _cut_member(data: bytes) -> bytes:
    """A gzip member holding exactly *data* and then cut off: no final block, no trailer."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


def _offsets(parts: list[bytes]) -> list[int]:
    offsets, position = [], 0
    for part in parts:
        offsets.append(position)
        position += len(part)
    return offsets


def _sha1(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


@dataclass
class Case:
    path: Path
    offsets: list[int]  # where each of the four records (warcinfo, pages 0-2) starts in the damaged file


def _write(directory: Path, host: str, parts: list[bytes], suffix: str = ".warc.gz") -> Case:
    path = directory / f"{host}{suffix}"
    path.write_bytes(b"".join(parts))
    return Case(path, _offsets(parts))


def _cases(directory: Path) -> dict[str, Case]:
    cases = {}
    records = _records("cut-member.test")
    members = [_member(r) for r in records[:3]] + [_cut_member(records[3][:700])]
    cases["cut-member"] = _write(directory, "cut-member.test", members)

    members = [_member(r) for r in _records("garbage-gz.test")]
    cases["garbage-gz"] = _write(directory, "garbage-gz.test", [members[0], members[1], b"GARBAGE!" + members[2],
                                                                 members[3]])
    records = _records("garbage.test")
    cases["garbage"] = _write(directory, "garbage.test", [records[0], records[1], b"garbage line\r\n" + records[2],
                                                          records[3]], ".warc")
    records = _records("digest.test")
    records[2] = records[2].replace(b"reopened on day 1", b"REOPENED on day 1")
    cases["digest"] = _write(directory, "digest.test", [_member(r) for r in records])

    records = _records("dns.test")
    dns = warc_record([("WARC-Type", "response"), ("WARC-Record-ID", "<urn:uuid:dns.test-dns>"),
                       ("WARC-Date", "2026-01-25T10:29:00Z"), ("WARC-Target-URI", "dns:dns.test"),
                       ("Content-Type", "text/dns")], b"20260125102900\ndns.test.\t300\tIN\tA\t192.0.2.7\n")
    not_http = warc_record([("WARC-Type", "response"), ("WARC-Record-ID", "<urn:uuid:dns.test-text>"),
                            ("WARC-Date", "2026-01-25T10:29:30Z"), ("WARC-Target-URI", "http://dns.test/notes.txt"),
                            ("Content-Type", "application/http; msgtype=response")], b"just some notes\r\n")
    cases["dns"] = _write(directory, "dns.test", [_member(r) for r in [records[0], dns, not_http, *records[1:]]])

    records = _records("short-gz.test")
    short = records[2].replace(b"</html>\r\n\r\n", b"\r\n\r\n")  # block 7 bytes short of its Content-Length
    cases["short-gz"] = _write(directory, "short-gz.test", [_member(r) for r in [records[0], records[1], short,
                                                                                 records[3]]])
    records = _records("short.test")
    short = records[1].replace(b"</html>\r\n\r\n", b"\r\n\r\n")  # swallows the start of the next record
    cases["short"] = _write(directory, "short.test", [records[0], short, records[2], records[3]], ".warc")

    records = _records("port.test")
    records[2] = records[2].replace(b"http://port.test/page-1.html", b"http://port.test:12a/page-1.html")
    cases["bad-uri"] = _write(directory, "port.test", [_member(r) for r in records])

    plain = b"".join(_records("whole-gz.test"))
    cases["whole-gz"] = _write(directory, "whole-gz.test", [gzip.compress(plain, mtime=0)])
    return cases


@dataclass
class Run:
    cases: dict[str, Case]
    result: ReprocessResult
    lines: list[dict]

    def problems(self, case: str) -> list[tuple[int | None, str, bool]]:
        path = self.cases[case].path
        return [(p.offset, p.message, p.unreadable) for p in self.result.problems if p.path == path]

    def pages(self, case: str) -> dict[str, list[tuple[str | None, int | None]]]:
        """Page URL path -> (file, offset) of each source, for the lines of the case's host."""
        host = self.cases[case].path.name.split(".test")[0] + ".test"
        return {line["url"].split(host, 1)[1]: [(s["warc_filename"], s["warc_offset"]) for s in line["sources"]]
                for line in self.lines if f"//{host}/" in line["url"]}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    directory = tmp_path_factory.mktemp("damaged")
    cases = _cases(directory)
    output = tmp_path_factory.mktemp("out") / "items.jsonl"
    result = reprocess([directory], output=output, spider="urls", workers=1, progress="none")
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    return Run(cases, result, lines)


def test_run_fails_because_some_input_was_unreadable(run: Run) -> None:
    assert run.result.exit_status == 1
    assert run.result.errors == [] and run.result.misses == []


def _head_length(record: bytes) -> int:
    return record.index(b"\r\n\r\n") + 4


def test_gzip_member_cut_mid_record(run: Run) -> None:
    case = run.cases["cut-member"]
    record = _records("cut-member.test")[3]
    present, length = 700 - _head_length(record), len(_page("cut-member.test", 2))
    assert run.problems("cut-member") == [
        (case.offsets[3], "record cut off: response <urn:uuid:cut-member.test-2> http://cut-member.test/page-2.html "
                          f"has {present} of {length} block bytes", True),
        (case.offsets[3], f"gzip member cut off: the file ends {case.path.stat().st_size - case.offsets[3]} bytes "
                          "into it", True),
    ]
    assert run.pages("cut-member") == {"/page-0.html": [(case.path.name, case.offsets[1])],
                                       "/page-1.html": [(case.path.name, case.offsets[2])]}


def test_garbage_between_gzip_members(run: Run) -> None:
    case = run.cases["garbage-gz"]
    assert run.problems("garbage-gz") == [(case.offsets[2], "not a gzip member", True)]
    name = case.path.name
    assert run.pages("garbage-gz") == {"/page-0.html": [(name, case.offsets[1])],
                                       "/page-1.html": [(name, case.offsets[2] + len(b"GARBAGE!"))],
                                       "/page-2.html": [(name, case.offsets[3])]}


def test_garbage_between_uncompressed_records(run: Run) -> None:
    case = run.cases["garbage"]
    assert run.problems("garbage") == [
        (case.offsets[2], "unreadable: no WARC record starts here (the line there is 'garbage line')", True),
    ]
    name = case.path.name
    assert run.pages("garbage") == {"/page-0.html": [(name, case.offsets[1])],
                                    "/page-1.html": [(name, case.offsets[2] + len(b"garbage line\r\n"))],
                                    "/page-2.html": [(name, case.offsets[3])]}


def test_record_whose_digests_fail_is_skipped(run: Run) -> None:
    case = run.cases["digest"]
    page = _page("digest.test", 1)
    block_digest, payload_digest = _sha1(page), _sha1(page[_head_length(page):])
    assert run.problems("digest") == [
        (case.offsets[2], f"block digest failed: {block_digest}; payload digest failed {payload_digest}: "
                          "response <urn:uuid:digest.test-1> http://digest.test/page-1.html", True),
    ]
    assert set(run.pages("digest")) == {"/page-0.html", "/page-2.html"}


def test_non_http_records_are_noted_and_skipped(run: Run) -> None:
    case = run.cases["dns"]
    assert run.problems("dns") == [
        (case.offsets[1], "not an HTTP response, skipped: response <urn:uuid:dns.test-dns> dns:dns.test", False),
        (case.offsets[2], "not an HTTP response, skipped: response <urn:uuid:dns.test-text> http://dns.test/notes.txt",
         False),
    ]
    assert set(run.pages("dns")) == {"/page-0.html", "/page-1.html", "/page-2.html"}


def test_record_whose_target_uri_no_request_can_have_is_skipped(run: Run) -> None:
    case = run.cases["bad-uri"]
    assert run.problems("bad-uri") == [
        (case.offsets[2], "unusable WARC-Target-URI (Port could not be cast to integer value as 12a), skipped: "
                          "response <urn:uuid:port.test-1> http://port.test:12a/page-1.html", True),
    ]
    assert set(run.pages("bad-uri")) == {"/page-0.html", "/page-2.html"}


def test_gzip_member_whose_record_is_short_of_its_content_length(run: Run) -> None:
    case = run.cases["short-gz"]
    length = len(_page("short-gz.test", 1))
    # The 7 bytes of "</html>" are missing; the 4 of the record's closing CRLF CRLF are read as block bytes.
    assert run.problems("short-gz") == [
        (case.offsets[2], "record cut off: response <urn:uuid:short-gz.test-1> http://short-gz.test/page-1.html "
                          f"has {length - 3} of {length} block bytes", True),
    ]
    assert set(run.pages("short-gz")) == {"/page-0.html", "/page-2.html"}


def test_uncompressed_record_short_of_its_content_length_does_not_take_its_neighbour(run: Run) -> None:
    case = run.cases["short"]
    page = _page("short.test", 0)
    label = "response <urn:uuid:short.test-0> http://short.test/page-0.html"
    # Content-Length takes the block 3 bytes into the next record ("WAR"); warcio passes over the rest
    # of that line ("C/1.1") and stops at the next one.
    stuck = case.offsets[1] + _head_length(_records("short.test")[1]) + len(page) + len(b"C/1.1\r\n")
    assert run.problems("short") == [
        (case.offsets[1], f"block digest failed: {_sha1(page)}; payload digest failed "
                          f"{_sha1(page[_head_length(page):])}: {label}", True),
        (stuck, "unreadable: no WARC record starts here (the line there is 'WARC-Type: response')", True),
        (case.offsets[1], f"block not followed by CRLF CRLF (wrong Content-Length?): {label}", False),
    ]
    name = case.path.name
    assert run.pages("short") == {"/page-1.html": [(name, case.offsets[2])], "/page-2.html": [(name, case.offsets[3])]}


def test_whole_file_gzipped_is_read_but_not_addressable(run: Run) -> None:
    assert run.problems("whole-gz") == [
        (0, "gzip member holds 4 records: all read, but they cannot be addressed record by record "
            "(their sources give no offset)", False),
    ]
    name = run.cases["whole-gz"].path.name
    assert run.pages("whole-gz") == {f"/page-{n}.html": [(name, None)] for n in range(3)}


def test_summary_lists_every_problem_with_file_and_offset(run: Run) -> None:
    case = run.cases["garbage-gz"]
    summary = run.result.summary().splitlines()
    assert f"  {case.path}: offset {case.offsets[2]}: not a gzip member" in summary
    assert (f"  {run.cases['whole-gz'].path}: offset 0: gzip member holds 4 records: all read, but they cannot be "
            "addressed record by record (their sources give no offset) (note)") in summary
    assert "  problems:        13 (9 unreadable)" in summary
    assert "problems (file: offset: what):" in summary


@pytest.mark.parametrize(
    ("problems", "status"),
    [
        ([], 0),
        ([ReadProblem(Path("a.warc"), 0, "not an HTTP response, skipped: response <x> dns:x", unreadable=False)], 0),
        ([ReadProblem(Path("a.warc"), 7, "not a gzip member")], 1),
    ],
)
def test_exit_status_is_1_only_when_input_was_unreadable(problems: list[ReadProblem], status: int) -> None:
    result = ReprocessResult(Path("out.jsonl"), problems=problems, finish_reasons=["finished"])
    assert result.exit_status == status

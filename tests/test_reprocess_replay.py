"""Stored HTTP bytes to responses, input paths, the merge of worker shards, and progress lines: tables by hand."""

from __future__ import annotations

import gzip
import io
import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from crawler.runs.outcome import RunRefused
from crawler.reprocess import reprocess
from crawler.reprocess.captures import FileScan
from crawler.reprocess.index import build_index
from crawler.reprocess.progress import LogReporter, make_reporter
from crawler.reprocess.replay import (
    HttpHead,
    NotAnHttpResponse,
    build_response,
    dechunk,
    decode_payload,
    parse_head,
    split_message,
)
from crawler.reprocess.run import merge_shards
from crawler.reprocess.scan import (
    cut_points,
    join_stretches,
    scan_file,
    scan_stretch,
    stretches_meet,
)
from crawler.warc.reader import warc_paths
from crawler.warc.records import (
    PairFields,
    response_record,
    warc_record,
    warcinfo_record,
)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n",
         HttpHead("HTTP/1.1", 200, [(b"Content-Type", b"text/html"), (b"Set-Cookie", b"a=1"),
                                    (b"Set-Cookie", b"b=2")])),
        (b"HTTP/1.0 302\r\nLocation: /next\r\n\r\n", HttpHead("HTTP/1.0", 302, [(b"Location", b"/next")])),
        (b"HTTP/1.1 200 OK\nX-Folded: first\n  second\nX-Spaced:   padded   \n\n",
         HttpHead("HTTP/1.1", 200, [(b"X-Folded", b"first  second"), (b"X-Spaced", b"padded")])),
        (b"HTTP/1.1 200 OK\r\nno colon here\r\nX-Kept: yes\r\n\r\n", HttpHead("HTTP/1.1", 200, [(b"X-Kept", b"yes")])),
    ],
)
def test_parse_head(head: bytes, expected: HttpHead) -> None:
    assert parse_head(head) == expected


def test_interim_responses_are_passed_over() -> None:
    message = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"
    assert split_message(message) == (HttpHead("HTTP/1.1", 201, [(b"Content-Length", b"2")]), b"ok")


@pytest.mark.parametrize("head", [b"hello world\r\n\r\n", b"HTTP/1.1 OK\r\n\r\n", b"\r\n", b"ICY 200 OK\r\n\r\n"])
def test_not_an_http_response(head: bytes) -> None:
    with pytest.raises(NotAnHttpResponse):
        parse_head(head)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n", (b"hello world", True)),
        (b"5\r\nhello\r\n0\r\nX-Trailer: yes\r\n\r\n", (b"hello", True)),
        (b"5\nhello\n0\n\n", (b"hello", True)),
        (b"5\r\nhel", (b"hel", False)),
        (b"5\r\nhello\r\n", (b"hello", False)),
        (b"zz\r\nhello\r\n0\r\n\r\n", (b"", False)),
    ],
)
def test_dechunk(payload: bytes, expected: tuple[bytes, bool]) -> None:
    assert dechunk(payload) == expected


OK_HTML = [(b"Content-Type", b"text/html")]


@pytest.mark.parametrize(
    ("head", "payload", "method", "expected"),
    [
        (HttpHead("HTTP/1.1", 200, [*OK_HTML, (b"Content-Length", b"5")]), b"hello", "GET", (b"hello", [])),
        (HttpHead("HTTP/1.1", 200, [*OK_HTML, (b"Content-Length", b"9")]), b"hello", "GET", (b"hello", ["dataloss"])),
        (HttpHead("HTTP/1.1", 200, [*OK_HTML, (b"Transfer-Encoding", b"chunked")]), b"2\r\nhi\r\n", "GET",
         (b"hi", ["dataloss"])),
        (HttpHead("HTTP/1.0", 200, OK_HTML), b"until the connection closed", "GET",
         (b"until the connection closed", ["partial"])),
        (HttpHead("HTTP/1.1", 304, [(b"Content-Length", b"5")]), b"", "GET", (b"", [])),
        (HttpHead("HTTP/1.1", 200, [(b"Content-Length", b"5")]), b"", "HEAD", (b"", [])),
    ],
)
def test_decode_payload(head: HttpHead, payload: bytes, method: str, expected: tuple[bytes, list[str]]) -> None:
    assert decode_payload(head, payload, method) == expected


def test_response_keeps_entity_headers_and_drops_framing_ones() -> None:
    head = HttpHead("HTTP/1.1", 200, [(b"Connection", b"keep-alive"), (b"Content-Type", b"text/html; charset=utf-8"),
                                      (b"Transfer-Encoding", b"chunked"), (b"Content-Encoding", b"gzip"),
                                      (b"Keep-Alive", b"timeout=5"), (b"Vary", b"Accept-Encoding")])
    response = build_response("http://example.com/", head, b"\x1f\x8b", length=None, ip="192.0.2.1")
    assert [(name, response.headers.getlist(name)) for name in response.headers] == [
        (b"Content-Type", [b"text/html; charset=utf-8"]), (b"Content-Encoding", [b"gzip"]),
        (b"Vary", [b"Accept-Encoding"])]
    # Still gzip: HttpCompressionMiddleware picks the HTML class once it has decoded the body, as live.
    assert (type(response).__name__, response.protocol, str(response.ip_address)) == (
        "Response", "HTTP/1.1", "192.0.2.1")


def _line(name: str, offset: int | None, text: str = "") -> bytes:
    sources = [] if offset is None and name == "" else [{"warc_filename": name, "warc_offset": offset}]
    return (json.dumps({"id": text or f"{name}@{offset}", "sources": sources}) + "\n").encode()


def test_shards_merge_in_archive_order(tmp_path: Path) -> None:
    files = [Path("in/b.warc.gz"), Path("in/a.warc.gz.open")]
    (tmp_path / "s1").write_bytes(_line("a.warc.gz", 50) + _line("", None, "no-sources") + _line("b.warc.gz", 900))
    (tmp_path / "s2").write_bytes(_line("a.warc.gz", 7) + _line("b.warc.gz", 12) + _line("other.warc", 1)
                                  + _line("a.warc.gz", None))
    assert merge_shards([tmp_path / "s1", tmp_path / "s2"], tmp_path / "out" / "items.jsonl", files) == 7
    ids = [json.loads(line)["id"] for line in (tmp_path / "out" / "items.jsonl").read_text().splitlines()]
    assert ids == ["b.warc.gz@12", "b.warc.gz@900", "a.warc.gz@None", "a.warc.gz@7", "a.warc.gz@50",
                   "other.warc@1", "no-sources"]


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_log_reporter_writes_a_line_per_interval_and_per_phase() -> None:
    out, clock = io.StringIO(), _Clock()
    reporter = LogReporter(out, interval=10, clock=clock)
    reporter.phase("index")
    clock.now = 104.0
    reporter.update(2000)  # before the interval: no line
    clock.now = 110.0
    reporter.update(5000)
    reporter.phase("replay", total=100)
    clock.now = 112.0
    reporter.update(30, 10)
    reporter.close()
    assert [line.split(" [newsarchive.reprocess] ")[1] for line in out.getvalue().splitlines()] == [
        "index: 5000 records read (500.0 records/s)",
        "index: 5000 records read (500.0 records/s)",
        "replay: 10 of 100 articles, 30 records (5.0 articles/s, 15.0 records/s)",
    ]


def test_reporter_modes() -> None:
    assert type(make_reporter("auto", io.StringIO())).__name__ == "LogReporter"  # not a terminal
    assert type(make_reporter("none", io.StringIO())).__name__ == "Reporter"
    with pytest.raises(ValueError, match="progress must be one of auto, bar, log, none, got 'fancy'"):
        make_reporter("fancy")


def test_inputs_are_files_folders_and_globs(tmp_path: Path) -> None:
    for name in ("crawl/a.warc.gz", "crawl/b.warc.gz.open", "crawl/deeper/c.warc", "crawl/items.jsonl",
                 "other/d.warc.gz", "other/e.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    found = warc_paths([tmp_path / "crawl", str(tmp_path / "other" / "*.warc.gz"), tmp_path / "other" / "e.txt",
                        str(tmp_path / "nowhere" / "*.warc"), tmp_path / "crawl" / "a.warc.gz"])
    assert [path.relative_to(tmp_path).as_posix() for path in found] == [
        "crawl/a.warc.gz", "crawl/b.warc.gz.open", "crawl/deeper/c.warc", "other/d.warc.gz", "other/e.txt",
        "nowhere/*.warc",  # matches nothing: kept, so the run is refused naming it rather than dropping it
    ]


@pytest.mark.parametrize(
    ("paths", "options", "error"),
    [
        (["{tmp}/empty"], {}, "no WARC files found in {tmp}/empty"),
        (["{tmp}/a.warc", "{tmp}/typo.warc.gz"], {}, "no such file: {tmp}/typo.warc.gz"),
        (["{tmp}/a.warc", "{tmp}/*.wrac"], {}, "no such file: {tmp}/*.wrac"),
        (["{tmp}/a.warc"], {"at": "last tuesday"},
         "--at 'last tuesday' is not an ISO 8601 time like 2026-11-25T10:00Z"),
        (["{tmp}/a.warc"], {"output": "{tmp}/empty"}, "cannot write {tmp}/empty: Is a directory"),
        (["{tmp}/a.warc"], {"spider": "nope"}, "no spider named 'nope' (available: news, topwar, urls, voenvestnik)"),
        (["{tmp}/a.warc"], {"cdxj": "{tmp}/none.cdxj"},
         "cannot read the CDXJ index {tmp}/none.cdxj: [Errno 2] No such file or directory: '{tmp}/none.cdxj'"),
    ],
)
def test_refused_runs_say_why_and_exit_2(tmp_path: Path, paths: list[str], options: dict[str, str],
                                         error: str) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "a.warc").write_bytes(b"")
    options = {"output": "{tmp}/out.jsonl", **options}
    with pytest.raises(RunRefused) as refused:
        reprocess([p.format(tmp=tmp_path) for p in paths], progress="none",
                  **{k: v.format(tmp=tmp_path) for k, v in options.items()})  # type: ignore[arg-type]
    assert (refused.value.exit_status, str(refused.value)) == (2, error.format(tmp=tmp_path))
    assert not (tmp_path / "out.jsonl").exists(), "a refused run writes nothing"


def test_bar_reporter_shows_both_phases_with_rates() -> None:
    out = io.StringIO()
    reporter = make_reporter("bar", out)
    reporter.phase("index")
    reporter.update(2599)
    reporter.phase("replay", total=999)
    reporter.update(1247, 999)
    reporter.close()
    text = out.getvalue()
    assert "reading WARCs" in text and "2599/" in text and "records/s" in text  # 80 columns: may be cut
    assert "reprocessing" in text and "999/999" in text and "articles/s" in text


def test_index_scanned_in_another_process_counts_every_record_and_runs_meanwhile_here(tmp_path: Path) -> None:
    moment = datetime(2026, 1, 25, 10, 30, tzinfo=timezone.utc)
    records = [warcinfo_record("<urn:uuid:info>", moment, "a.warc.gz", [("isPartOf", "crawl")])]
    for n in range(300):
        pair = PairFields(f"<urn:uuid:{n}>", moment, f"http://example.com/{n}", "<urn:uuid:info>", f"<urn:uuid:q{n}>")
        records.append(response_record(pair, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
    path = tmp_path / "a.warc.gz"
    path.write_bytes(b"".join(gzip.compress(record) for record in records))
    reported: list[int] = []
    ran_in: list[int] = []
    index = build_index([path], workers=2, progress=reported.append, meanwhile=lambda: ran_in.append(os.getpid()))
    assert (sum(reported), index.records, len(index.by_url), list(index.crawls)) == (301, 301, 300, ["crawl"])
    assert ran_in == [os.getpid()]


def _record(kind: str, record_id: str, block: bytes, **fields: str) -> bytes:
    names = {"uri": "WARC-Target-URI", "warcinfo": "WARC-Warcinfo-ID", "concurrent": "WARC-Concurrent-To"}
    head = [("WARC-Type", kind), ("WARC-Record-ID", record_id), ("WARC-Date", "2026-01-25T10:30:00Z")]
    return warc_record(head + [(names[name], value) for name, value in fields.items()], block)


def _crawl_file(tmp_path: Path) -> tuple[Path, list[int]]:
    """A gzipped WARC of two crawls, each record a member of its own; returns it and its members' offsets."""
    ok = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    records = [
        _record("warcinfo", "<urn:uuid:a>", b"isPartOf: crawl-a\r\n"),
        _record("response", "<urn:uuid:r0>", ok, uri="http://example.com/0"),
        _record("response", "<urn:uuid:r1>", ok, uri="http://example.com/1"),
        _record("request", "<urn:uuid:q2>", b"POST /2 HTTP/1.1\r\nHost: example.com\r\n\r\n",
                uri="http://example.com/2", concurrent="<urn:uuid:r2>"),
        _record("response", "<urn:uuid:r2>", ok, uri="http://example.com/2", concurrent="<urn:uuid:q2>"),
        _record("warcinfo", "<urn:uuid:b>", b"isPartOf: crawl-b\r\n"),
        _record("response", "<urn:uuid:r3>", ok, uri="http://example.com/3"),
        _record("response", "<urn:uuid:r4>", ok, uri="http://example.com/4", warcinfo="<urn:uuid:a>"),
    ]
    members = [gzip.compress(record) for record in records]
    path = tmp_path / "two-crawls.warc.gz"
    path.write_bytes(b"".join(members))
    offsets = [sum(len(member) for member in members[:n]) for n in range(len(members))]
    return path, offsets


def _captures(scan: FileScan) -> list[tuple[str, str, str, int]]:
    return [(capture.url, capture.group, capture.method, capture.offset) for capture in scan.captures]


def test_a_file_read_in_stretches_gives_what_it_gives_read_whole(tmp_path: Path) -> None:
    path, offsets = _crawl_file(tmp_path)
    cut = offsets[4]  # the POST's response lies after the cut, its request and warcinfo before it
    stretches = [scan_stretch(path, 0, 0, cut), scan_stretch(path, 0, cut, None)]
    assert stretches_meet(stretches)
    joined = join_stretches(path, stretches)
    assert _captures(joined) == _captures(scan_file(path, 0)) == [
        ("http://example.com/0", "warcinfo:<urn:uuid:a>", "GET", offsets[1]),
        ("http://example.com/1", "warcinfo:<urn:uuid:a>", "GET", offsets[2]),
        ("http://example.com/2", "warcinfo:<urn:uuid:a>", "POST", offsets[4]),
        ("http://example.com/3", "warcinfo:<urn:uuid:b>", "GET", offsets[6]),
        ("http://example.com/4", "warcinfo:<urn:uuid:a>", "GET", offsets[7]),
    ]
    assert (joined.records, [info.part_of for info in joined.crawls], joined.problems) == (8, ["crawl-a", "crawl-b"], [])


def test_stretches_cut_inside_a_member_do_not_meet(tmp_path: Path) -> None:
    path, offsets = _crawl_file(tmp_path)
    cut = offsets[4] + 10
    assert not stretches_meet([scan_stretch(path, 0, 0, cut), scan_stretch(path, 0, cut, None)])


def test_cuts_fall_where_members_start(tmp_path: Path) -> None:
    path, offsets = _crawl_file(tmp_path)
    size = path.stat().st_size
    assert cut_points(path, 2, min_bytes=1) == [min(offset for offset in offsets if offset >= size // 2)]
    assert cut_points(path, 2, min_bytes=size) == []  # too small to cut
    assert set(cut_points(path, 8, min_bytes=1)) <= set(offsets[1:])


@pytest.mark.parametrize(("setting", "listed"), [
    ("DOWNLOADER_MIDDLEWARES", ["scrapy.downloadermiddlewares.offsite.OffsiteMiddleware",
                                "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware",
                                "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware",
                                "scrapy.downloadermiddlewares.redirect.RedirectMiddleware"]),
    ("EXTENSIONS", ["scrapy.extensions.corestats.CoreStats", "scrapy.extensions.logcount.LogCount",
                    "scrapy.extensions.feedexport.FeedExporter"]),
])
def test_replay_runs_only_the_components_it_lists(monkeypatch: pytest.MonkeyPatch, setting: str,
                                                  listed: list[str]) -> None:
    """A downloader middleware or extension added to the project later does not run during replay."""
    import crawler.settings
    from scrapy.utils.conf import build_component_list

    from crawler.reprocess.workers import crawl_settings

    added = f"tests.later.Later{setting.title()}"
    monkeypatch.setattr(crawler.settings, setting, {**getattr(crawler.settings, setting), added: 500})
    settings = crawl_settings("INFO")
    assert build_component_list(settings.getwithbase(setting)) == listed
    assert added in crawler.settings.__dict__[setting]  # the project does list it

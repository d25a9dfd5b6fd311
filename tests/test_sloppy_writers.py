"""Archives as real crawlers write them, sloppily: reprocessing reads what is there and says what it did.

Each case is a small WARC written like a tool in the wild writes it, and the
line reprocessing must give, written by hand: the Internet Archive's
``Transfer-Encoding: chunked`` over a body stored without its chunks (with
``Content-Length: -1``), a page stored decoded under its
``Content-Encoding``, two copies of one record of which one is cut short, a
redirect whose target is archived under another spelling of its URL, HTML
captures that give neither title nor body, and damage whose messages must
read as plain words.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from archive_builder import EMPTY_HTML, Capture, article_html, html, write_warc
from crawler.reprocess import reprocess

STORY = "http://news.example.org/2024/bridge-reopens"
BODY = ("The harbour bridge reopened on Monday after eight months of repairs, the city council said.\n\n"
        "Engineers replaced the deck joints and repainted the steel arches; traffic is back to four lanes.")
PAGE = article_html("Harbour bridge reopens")


def _run(tmp_path: Path, captures: list[Capture], name: str = "sloppy.warc.gz", **options: object):
    warc = tmp_path / name
    offsets = write_warc(warc, captures)
    output = tmp_path / "items.jsonl"
    result = reprocess([warc], output=output, spider="urls", progress="none", **options)  # type: ignore[arg-type]
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()] if output.exists() else []
    return result, lines, offsets


def test_internet_archive_chunked_header_over_a_plain_body(tmp_path: Path) -> None:
    # As IA's LiveWeb writer stored http://www.iana.org/ in pywb's sample iana.warc.gz.
    headers = [("Server", "Apache"), ("Content-Type", "text/html; charset=UTF-8"), ("Transfer-Encoding", "chunked"),
               ("Date", "Sun, 26 Jan 2014 20:06:24 GMT"), ("Connection", "close"), ("Content-Length", "-1")]
    result, lines, offsets = _run(tmp_path, [Capture(STORY, headers, PAGE)])
    (line,) = lines
    assert (line["title"], line["body"], line["warnings"]) == ("Harbour bridge reopens", BODY, [])
    assert (result.exit_status, result.empty_html) == (0, 0)


def test_a_truly_chunked_body_cut_short_still_says_so(tmp_path: Path) -> None:
    chunked = b"%x\r\n%s\r\n" % (len(PAGE), PAGE)  # no closing 0-size chunk
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Transfer-Encoding", "chunked")]
    _, (line,), _ = _run(tmp_path, [Capture(STORY, headers, chunked)])
    assert (line["title"], line["warnings"]) == (
        "Harbour bridge reopens",
        ["the download was cut short (fewer bytes than announced); the page may be incomplete"])


@pytest.mark.parametrize("coding", ["gzip", "x-gzip", "deflate", "br"])
def test_a_page_stored_decoded_under_its_content_encoding(tmp_path: Path, coding: str) -> None:
    capture = html(STORY, PAGE, extra=[("Content-Encoding", coding), ("Vary", "Accept-Encoding")])
    result, (line,), offsets = _run(tmp_path, [capture])
    assert (line["title"], line["body"]) == ("Harbour bridge reopens", BODY)
    assert line["warnings"] == [f"the page was archived already decoded under 'Content-Encoding: {coding}': "
                                "read as stored"]
    assert [(s["warc_offset"], s["status"]) for s in line["sources"]] == [(offsets[0], 200)]
    assert result.exit_status == 0
    assert "warnings:        1" in result.summary()


def test_a_page_stored_encoded_is_decoded_without_a_warning(tmp_path: Path) -> None:
    packed = gzip.compress(PAGE)
    capture = Capture(STORY, [("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
                              ("Content-Length", str(len(packed)))], packed)
    _, (line,), _ = _run(tmp_path, [capture])
    assert (line["title"], line["body"], line["warnings"]) == ("Harbour bridge reopens", BODY, [])


@pytest.mark.parametrize("broken_first", [False, True], ids=["intact-copy-first", "broken-copy-first"])
def test_of_two_copies_of_a_record_the_intact_one_is_read(tmp_path: Path, broken_first: bool) -> None:
    record_id = "<urn:uuid:7d1c5c0e-0000-4000-8000-00000000b71d>"
    intact = html(STORY, PAGE, record_id=record_id)
    # The same record written again by a writer that lost the end of the body (its digests match what it wrote).
    broken = Capture(STORY, intact.headers, PAGE[:120], record_id=record_id)
    copies = [broken, intact] if broken_first else [intact, broken]
    result, (line,), offsets = _run(tmp_path, copies)
    intact_at = offsets[copies.index(intact)]
    broken_at = offsets[copies.index(broken)]
    assert (line["title"], line["body"], line["warnings"]) == ("Harbour bridge reopens", BODY, [])
    assert [(s["warc_offset"], s["warc_record_id"]) for s in line["sources"]] == [(intact_at, record_id)]
    kept_at = offsets[0]  # both verify: the first is kept in the index, the other tried when it is cut short
    other_at = offsets[1]
    assert [(p.offset, p.message, p.unreadable) for p in result.problems] == [
        (kept_at, f"record {record_id} is in the archive more than once (also at sloppy.warc.gz offset {other_at}): "
                  "this copy is used", False)]
    assert result.exit_status == 0
    assert broken_at != intact_at


def test_a_copy_with_a_wrong_length_gives_way_to_a_sound_one(tmp_path: Path) -> None:
    record_id = "<urn:uuid:7d1c5c0e-0000-4000-8000-0000000f4a3e>"
    warc = tmp_path / "copies.warc"
    offsets = write_warc(warc, [html(STORY, PAGE, record_id=record_id), html(STORY, PAGE, record_id=record_id)])
    data = warc.read_bytes()
    first = data[:offsets[1]]
    declared = re.search(rb"Content-Length: (\d+)\r\n", first)
    assert declared is not None
    # The first copy, by a writer that adds no digests, has a Content-Length 2 bytes short: its block is not
    # followed by CRLF CRLF, and nothing else says which bytes are its own.
    spoiled = first.replace(declared.group(0), b"Content-Length: %d\r\n" % (int(declared.group(1)) - 2), 1)
    spoiled = re.sub(rb"WARC-(Block|Payload)-Digest: [^\r]*\r\n", b"", spoiled)
    warc.write_bytes(spoiled + data[offsets[1]:])
    output = tmp_path / "items.jsonl"
    result = reprocess([warc], output=output, spider="urls", progress="none")
    (line,) = [json.loads(text) for text in output.read_text(encoding="utf-8").splitlines()]
    assert line["sources"][0]["warc_offset"] == len(spoiled)  # where the sound copy now starts
    assert [p.message for p in result.problems if not p.unreadable] == [
        "block not followed by CRLF CRLF (wrong Content-Length?): response "
        f"{record_id} {STORY}",
        f"record {record_id} is in the archive more than once (also at copies.warc offset 0): this copy is used"]
    assert not result.unreadable
    assert (line["title"], line["body"]) == ("Harbour bridge reopens", BODY)


@pytest.mark.parametrize("location", [
    "http://news.example.org/2024/bridge-reopens/",  # a trailing slash
    "HTTP://NEWS.Example.ORG:80/2024/bridge-reopens",  # the case of scheme and host, the default port
    "http://news.example.org/2024/bridge%2Dreopens",  # an unreserved character percent-encoded
    "/2024/bridge-reopens/",  # relative, with a trailing slash
])
def test_a_redirect_target_archived_under_another_spelling(tmp_path: Path, location: str) -> None:
    short = "http://news.example.org/s/b1"
    redirect = Capture(short, [("Location", location), ("Content-Length", "0")], b"", status="301 Moved Permanently",
                       date="2024-01-02T03:04:04Z")
    result, (line,), offsets = _run(tmp_path, [redirect, html(STORY, PAGE)])
    assert (line["title"], line["body"], result.misses) == ("Harbour bridge reopens", BODY, [])
    assert [(s["status"], s["warc_offset"]) for s in line["sources"]] == [(301, offsets[0]), (200, offsets[1])]
    assert result.exit_status == 0


def test_a_redirect_from_a_slash_to_none_starts_where_it_was_captured(tmp_path: Path) -> None:
    redirect = Capture(STORY + "/", [("Location", STORY), ("Content-Length", "0")], b"", status="301 Moved",
                       date="2024-01-02T03:04:04Z")
    _, lines, offsets = _run(tmp_path, [redirect, html(STORY, PAGE)])
    assert [(line["title"], [s["status"] for s in line["sources"]]) for line in lines] == [
        ("Harbour bridge reopens", [301, 200])]


def test_an_html_page_with_neither_title_nor_text_is_a_warning_and_a_count(tmp_path: Path) -> None:
    other = "http://news.example.org/2024/ferry"
    result, lines, _ = _run(tmp_path, [html(STORY, PAGE), html(other, article_html("New ferry timetable")),
                                       html(STORY + "-live", EMPTY_HTML)])
    by_url = {line["url"]: line for line in lines}
    assert by_url[STORY + "-live"]["warnings"] == [
        "no title found", "no publication date found", "no article text found",
        "neither a title nor any text could be read from this HTML page"]
    assert by_url[STORY]["warnings"] == []
    assert (result.empty_html, result.exit_status) == (1, 0)
    assert "  empty:           1 of 3 lines from HTML pages have neither title nor body" in result.summary()


def test_a_run_where_most_pages_came_out_empty_fails(tmp_path: Path) -> None:
    result, lines, _ = _run(tmp_path, [html(STORY, PAGE), html(STORY + "-a", EMPTY_HTML),
                                       html(STORY + "-b", EMPTY_HTML)])
    assert len(lines) == 3
    assert (result.empty_html, result.exit_status) == (2, 1)
    assert "  empty:           2 of 3 lines from HTML pages have neither title nor body (most: exit status 1)" \
        in result.summary()


def test_an_error_page_is_not_counted_as_empty(tmp_path: Path) -> None:
    missing = Capture(STORY, [("Content-Type", "text/html"), ("Content-Length", str(len(EMPTY_HTML)))], EMPTY_HTML,
                      status="404 Not Found")
    result, _, _ = _run(tmp_path, [missing])
    assert result.empty_html == 0


_INTERNALS = re.compile(r"\b\w+(Error|Exception)\b|Traceback|NoneType|object has no attribute|\[Errno|-\d+ of \d+")


@pytest.mark.parametrize(("name", "spoil"), [
    ("no-target.warc", lambda data: data.replace(b"WARC-Target-URI: " + STORY.encode() + b"\r\n", b"", 1)),
    ("bad-length.warc", lambda data: data.replace(b"Content-Length: ", b"Content-Length: -", 1)),
    ("word-length.warc", lambda data: re.sub(rb"Content-Length: \d+", b"Content-Length: many", data, count=1)),
    ("cut.warc.gz", lambda data: data[:-20]),
    ("garbage.warc", lambda data: data + b"\x00\x01garbage\r\n"),
    ("not-warc.warc", lambda data: b"<html>" + data),
])
def test_problems_are_told_in_plain_words_with_file_and_offset(tmp_path: Path, name: str, spoil) -> None:
    warc = tmp_path / name
    write_warc(warc, [html(STORY, PAGE), html(STORY + "-2", PAGE)], gzipped=name.endswith(".gz"))
    warc.write_bytes(spoil(warc.read_bytes()))
    result = reprocess([warc], output=tmp_path / "items.jsonl", spider="urls", progress="none")
    assert result.problems, "the damage is reported"
    for problem in result.problems:
        assert problem.path == warc and problem.offset is not None and problem.offset >= 0
        assert not _INTERNALS.search(problem.message), problem.message
    assert result.exit_status == 1


def test_the_warning_reaches_the_line_when_the_index_comes_from_cdxj(tmp_path: Path) -> None:
    from crawler.warc.index import index_warcs

    warc = tmp_path / "decoded.warc.gz"
    write_warc(warc, [html(STORY, PAGE, extra=[("Content-Encoding", "gzip")])])
    cdxj = tmp_path / "index.cdxj"
    assert index_warcs([warc], cdxj).ok
    output = tmp_path / "items.jsonl"
    reprocess([warc], output=output, spider="urls", cdxj=cdxj, progress="none")
    (line,) = [json.loads(text) for text in output.read_text(encoding="utf-8").splitlines()]
    assert line["warnings"] == ["the page was archived already decoded under 'Content-Encoding: gzip': "
                                "read as stored"]

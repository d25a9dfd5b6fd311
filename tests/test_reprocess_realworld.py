"""Every real-world WARC in ``../shared/realworld-warcs`` (wget, wpull, pywb, warcio, malformed) through reprocessing.

With the ``urls`` spider and every capture (``all_captures``), each HTML page
capture gives a line (revisits resolved, also from another file), each
redirect gives the line of where it leads (or says that is not archived),
and each damaged file is named with the offset and what is wrong. The files
are read where they are (``$NEWSARCHIVE_SHARED/realworld-warcs``, else
``../shared`` beside the repository) and never copied into it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SHARED
from crawler.reprocess import ReprocessResult, reprocess

REALWORLD = SHARED / "realworld-warcs"
WHOLE_GZIP = "warcio__example-bad.warc.gz.bad"  # not named .warc*, so it is given by name
NOT_ARCHIVED = "not fetched: NotInArchive: not in the archive"
NO_DATE = "no publication date found"

pytestmark = pytest.mark.skipif(not REALWORLD.is_dir(), reason=f"the real-world WARCs are not here ({REALWORLD})")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReprocessResult, list[dict]]:
    output = tmp_path_factory.mktemp("realworld") / "items.jsonl"
    result = reprocess([REALWORLD, REALWORLD / WHOLE_GZIP], output=output, spider="urls", all_captures=True,
                       progress="none")
    return result, [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]


def test_every_html_capture_and_redirect_gives_a_line(run: tuple[ReprocessResult, list[dict]]) -> None:
    _, lines = run
    assert [(line["url"], line["title"], line["warnings"][0], _first_source(line)) for line in lines] == [
        # A 302 to a revisit whose original is not in any of these files.
        ("http://www.iana.org/", None, "not fetched: NotInArchive: the record this revisit refers to is not in the "
                                       "archive", ("pywb__dupes.warc.gz", 1858, 302)),
        # The latest capture of the URL in its crawl: a revisit of the response at offset 334.
        ("http://example.com", "Example Domain", NO_DATE, ("pywb__dupes.warc.gz", 11875, 200)),
        ("http://example.iana.org/", "Example Domain", NO_DATE, ("pywb__example-url-agnostic-orig.warc.gz", 353, 200)),
        # A revisit of another URL in another file.
        ("http://test@example.com/", "Example Domain", NO_DATE,
         ("pywb__example-url-agnostic-revisit.warc.gz", 355, 200)),
        ("http://example.com/", "Example Domain", NO_DATE, ("pywb__example-wget-1-14.warc.gz", 792, 200)),
        ("http://example.com/", "Example Domain", NO_DATE, ("pywb__example-wpull.warc.gz", 2031, 200)),
        ("http://www.iana.org/badst", None, NOT_ARCHIVED, ("pywb__missing-status-text.warc", 0, 302)),
        # Chunked, with a hex block digest. A home page: the only date on it is in a linked report's file name
        # (customer-survey-20170111.pdf), which is not when the page was published.
        ("http://www.iana.org/", "Internet Assigned Numbers Authority", NO_DATE,
         ("warcio__example-iana.org-chunked.warc", 405, 200)),
        ("http://example.com/", "Example Domain", NO_DATE, ("warcio__example.warc.gz", 2621, 200)),
        ("https://www.iana.org/domains/reserved", None, NOT_ARCHIVED, ("warciojs__redirect.warc", 0, 301)),
        ("http://example.com/?example=1", "Example Domain", NO_DATE, (WHOLE_GZIP, None, 200)),
        ("http://www.iana.org/domains/reserved", None, NOT_ARCHIVED, (WHOLE_GZIP, None, 302)),
    ]


def _first_source(line: dict) -> tuple[str, int | None, int]:
    source = line["sources"][0]
    return source["warc_filename"], source["warc_offset"], source["status"]


def test_each_bad_file_is_named_with_its_offset(run: tuple[ReprocessResult, list[dict]]) -> None:
    result, _ = run
    assert [(p.path.name, p.offset, p.message, p.unreadable) for p in result.problems] == [
        ("fastwarc__clipped.warc.gz", 0, "record cut off: response <urn:uuid:f3dfa8fa-f031-4a38-90cc-1dcee3d07bb5> "
         "http://www.houstonpress.com/music/a-humble-chance-the-rapper-leads-a-spiritual-awakening-at-revention-8866723"
         " has 75207 of 88275 block bytes", True),
        ("fastwarc__clipped.warc.gz", 0, "gzip member cut off: the file ends 18184 bytes into it", True),
        ("pywb__example-url-agnostic-orig.warc.gz", 0, "block not followed by CRLF CRLF (wrong Content-Length?): "
         "warcinfo <urn:uuid:urn:uuid:01d758f9-c0ae-45c4-827a-e95ab60ce439>", False),
        ("pywb__example-url-agnostic-revisit.warc.gz", 0, "block not followed by CRLF CRLF (wrong Content-Length?): "
         "warcinfo <urn:uuid:urn:uuid:85d57ef9-0bd2-4a35-ba46-946ccf9e3d9f>", False),
        ("pywb__missing-status-text.warc", 0, "block not followed by CRLF CRLF (wrong Content-Length?): "
         "response <urn:uuid:125f3091-65f6-4d0e-96dd-dbff7c551275> http://iana.org/bads", False),
        ("warcio__example-digest.warc", 0, "payload digest failed: sha1:1112H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ: "
         "request <urn:uuid:a9c5c23a-0221-11e7-8fe3-0242ac120007> http://example.com/", True),
        ("warcio__example-trunc.warc", 1197, "block digest failed: sha1:DR5MBP7OD3OPA7RFKWJUD4CTNUQUGFC5; payload "
         "digest failed sha1:G7HRM7BGOKSKMSXZAHMUQTTV53QOFSMK: response <urn:uuid:a9c51e3e-0221-11e7-bf66-0242ac120005>"
         " http://example.com/", True),
        ("warcio__example-trunc.warc", 1197, "block not followed by CRLF CRLF (wrong Content-Length?): "
         "response <urn:uuid:a9c51e3e-0221-11e7-bf66-0242ac120005> http://example.com/", False),
        (WHOLE_GZIP, 0, "gzip member holds 6 records: all read, but they cannot be addressed record by record "
         "(their sources give no offset)", False),
    ]
    assert (result.exit_status, result.errors) == (1, [])


def test_a_revisit_without_its_original_says_so(tmp_path: Path) -> None:
    output = tmp_path / "items.jsonl"
    result = reprocess([REALWORLD / "pywb__example-url-agnostic-revisit.warc.gz"], output=output, spider="urls",
                       progress="none")
    (line,) = [json.loads(text) for text in output.read_text(encoding="utf-8").splitlines()]
    assert (line["url"], line["warnings"]) == (
        "http://test@example.com/",
        ["not fetched: NotInArchive: the record this revisit refers to is not in the archive"],
    )
    (miss,) = result.misses
    assert (miss.url, miss.referer, miss.reason) == (
        "http://test@example.com/", None, "the record this revisit refers to is not in the archive")

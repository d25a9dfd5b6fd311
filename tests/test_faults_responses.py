"""Partial and malformed responses: what arrived is archived and the line says what happened.

One real crawl (``urls`` spider, retries off so each URL is one exchange) of
a hostile server whose every page breaks the framing in one way; the WARC
files and the JSON Lines are read back.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from faultkit import by_url, crawl_args, job_dir, jsonl, newsarchive, responses_for, warc_records
from hostile import (
    bad_gzip,
    cut_short,
    hostile_server,
    overlong,
    page,
    reset_mid_body,
    respond,
    robots,
    stall_mid_body,
)

BODY = page("long", "A sentence of the long article. " * 400)
ROUTES = {
    "/robots.txt": robots("User-agent: *\nAllow: /\n"),
    "/whole.html": respond(page("whole")),
    "/reset.html": reset_mid_body(BODY, sent=len(BODY) // 2),
    "/short.html": cut_short(BODY[: len(BODY) // 2], claimed=len(BODY)),
    "/overlong.html": overlong(page("overlong"), b"<p>bytes past the Content-Length</p>" * 20),
    "/bad-gzip.html": bad_gzip(page("bad-gzip")),
}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("responses") / "out"
    with hostile_server(ROUTES) as server:
        urls = [server.url + path for path in ROUTES if path != "/robots.txt"]
        done = newsarchive(*crawl_args(urls, out, RETRY_ENABLED="False"))
    job = job_dir(out)
    return server.url, job, by_url(jsonl(job / "items.jsonl")), done


def _says_what_happened(warnings: list[str], *words: str) -> None:
    assert warnings, "a warning"
    text = " ".join(warnings)
    assert not re.search(r":\s*$", text), f"a warning that ends in nothing: {warnings}"
    assert any(word in text.lower() for word in words), warnings


def test_a_whole_page_is_read_whole(crawl):
    url, job, lines, done = crawl
    line = lines[url + "/whole.html"]
    assert line["title"] == "The whole page" and line["warnings"] == []
    assert line["sources"][0]["warc_filename"]


@pytest.mark.parametrize("path", ["/reset.html", "/short.html"])
def test_a_partial_response_is_archived_as_truncated_and_said(crawl, path):
    url, job, lines, done = crawl
    (record,) = responses_for(job, url + path)
    assert record.headers.get("WARC-Truncated") in ("disconnect", "length")
    assert BODY[:1000] in record.payload
    line = lines[url + path]
    _says_what_happened(line["warnings"], "reset", "cut off", "truncated", "connection", "of ")
    assert line["sources"] and line["sources"][0]["warc_filename"]


def test_a_body_longer_than_its_content_length_is_not_cut_silently(crawl):
    url, job, lines, done = crawl
    line = lines[url + "/overlong.html"]
    assert line["title"] == "The overlong page"
    _says_what_happened(line["warnings"], "content-length", "longer", "extra")


def test_an_invalid_gzip_body_keeps_its_sources(crawl):
    url, job, lines, done = crawl
    (record,) = responses_for(job, url + "/bad-gzip.html")
    line = lines[url + "/bad-gzip.html"]
    _says_what_happened(line["warnings"], "gzip", "decod", "decompress")
    (source,) = line["sources"]
    assert source["warc_filename"] and source["warc_record_id"] == record.headers["WARC-Record-ID"]


def test_every_url_has_its_line_and_the_crawl_ends(crawl):
    url, job, lines, done = crawl
    assert set(lines) == {url + path for path in ROUTES if path != "/robots.txt"}
    assert not list(Path(job).glob("*.open")), "the WARC file was closed"


def test_the_bytes_past_the_content_length_are_kept_in_a_record_of_their_own(crawl):
    url, job, lines, done = crawl
    records = [r for r in warc_records(job) if r.uri == url + "/overlong.html"]
    (response,) = [r for r in records if r.type == "response"]
    (extra,) = [r for r in records if r.type == "metadata"]
    assert response.payload == page("overlong")
    fields = dict(line.split(": ", 1) for line in extra.payload.decode().splitlines())
    assert base64.b64decode(fields["bytes-base64"]) == b"<p>bytes past the Content-Length</p>" * 20
    assert fields["length"] == str(len(b"<p>bytes past the Content-Length</p>" * 20))
    assert extra.headers["WARC-Concurrent-To"] == extra.headers["WARC-Refers-To"] == response.headers["WARC-Record-ID"]
    # warc-fields: CDX indexers leave it out, so replaying the URL gives the response, not these bytes.
    assert extra.headers["Content-Type"] == "application/warc-fields"


def test_a_response_that_stalls_mid_body_is_archived_as_truncated_by_time(tmp_path):
    routes = {"/robots.txt": ROUTES["/robots.txt"]}
    with hostile_server(lambda stop: {**routes, "/stalls.html": stall_mid_body(BODY, len(BODY) // 2, stop)}) as server:
        done = newsarchive(*crawl_args([server.url + "/stalls.html"], tmp_path / "out", RETRY_ENABLED="False",
                                       DOWNLOAD_TIMEOUT="1"))
    assert done.returncode == 0, "retries off: the cut page is a line with a warning, and nothing gave up retrying"
    job = job_dir(tmp_path / "out")
    (record,) = responses_for(job, server.url + "/stalls.html")
    assert record.headers.get("WARC-Truncated") == "time"
    assert BODY[:1000] in record.payload
    (line,) = jsonl(job / "items.jsonl")
    _says_what_happened(line["warnings"], "took longer")
    assert f"{len(BODY) // 2} of {len(BODY)} announced body bytes had arrived; archived as truncated" in \
        line["warnings"][0], line["warnings"]
    assert line["sources"][0]["warc_record_id"] == record.headers["WARC-Record-ID"]

"""The ``urls`` spider: a real crawl of a local site accounts for every URL asked for.

One crawl (``python -m scrapy crawl urls`` in a subprocess, project settings,
output and WARCs in a temporary folder) fetches an article, a redirect to it,
a 404, an image, an undeclared windows-1251 page, a URL robots.txt forbids, a
redirect to another host and a closed port; every output line must
validate against the JSON Schema and say what happened to its URL.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest

from crawler.domain.params import SpiderArgumentError
from spiders.urls import UrlsSpider

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "generic"
SCHEMA = json.loads((REPO / "crawler" / "schema" / "article.schema.json").read_text(encoding="utf-8"))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


@dataclass(frozen=True)
class Route:
    status: int
    headers: dict[str, str]
    body: bytes = b""


def _routes(other_origin: str) -> dict[str, Route]:
    html = {"Content-Type": "text/html; charset=utf-8"}
    return {
        "/robots.txt": Route(200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
        "/news/harbour.html": Route(200, html, (FIXTURES / "jsonld-article" / "page.html").read_bytes()),
        "/old-harbour": Route(301, {"Location": "/news/harbour.html"}),
        "/elsewhere": Route(302, {"Location": f"{other_origin}/news/harbour.html"}),
        "/missing": Route(404, html, b"<html><body><h1>Not found</h1></body></html>"),
        "/photo.png": Route(200, {"Content-Type": "image/png"}, PNG),
        "/gazeta.html": Route(200, {"Content-Type": "text/html"},
                              (FIXTURES / "windows-1251-undeclared" / "page.html").read_bytes()),
        "/private/secret.html": Route(200, html, b"<html><title>secret</title></html>"),
    }


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, Route] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        route = self.routes.get(self.path, Route(404, {"Content-Type": "text/plain"}, b"no such page"))
        self.send_response(route.status)
        for name, value in {**route.headers, "Content-Length": str(len(route.body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(route.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _serve(routes: dict[str, Route]) -> Iterator[str]:
    handler = type("Handler", (_Handler,), {"routes": routes})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The site's origin; ``localhost`` on the same port stands for a host the URL list does not name."""
    routes: dict[str, Route] = {}
    for origin in _serve(routes):
        routes.update(_routes(origin.replace("127.0.0.1", "localhost")))
        yield origin


@pytest.fixture(scope="module")
def robots_site() -> Iterator[str]:
    """A second origin that forbids /private/: its only URL is the one that makes Scrapy read robots.txt.

    (Scrapy 2.19's RobotsTxtMiddleware hands the parser only to the first of
    several requests that wait for the same robots.txt; see the report.)
    """
    yield from _serve(_routes("http://localhost"))


@pytest.fixture(scope="module")
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def requested(site: str, robots_site: str, closed_port: int) -> dict[str, str]:
    """What each listed URL must come out as: its final URL and the start of its warning ("" for none)."""
    return {
        f"{site}/news/harbour.html": "",
        f"{site}/old-harbour": "",
        f"{site}/missing": "not fetched: HTTP 404",
        f"{site}/photo.png": f"not an HTML page (image/png, {len(PNG)} bytes); nothing extracted",
        f"{site}/gazeta.html": "the page declares no character encoding; decoded as cp1251 (a guess)",
        f"{robots_site}/private/secret.html": "not fetched: IgnoreRequest: Forbidden by robots.txt",
        f"{site}/elsewhere": "",
        f"http://127.0.0.1:{closed_port}/gone.html":
            "not fetched: DownloadConnectionRefusedError: Connection was refused",
    }


@pytest.fixture(scope="module")
def crawled(requested: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    tmp = tmp_path_factory.mktemp("urls-crawl")
    out = tmp / "out.jsonl"
    command = [
        sys.executable, "-m", "scrapy", "crawl", "urls", "-a", "urls=" + ",".join(requested), "-O", str(out),
        "-s", f"ARCHIVE_DIR={tmp / 'archive'}", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
        "-s", "RETRY_TIMES=0", "-s", "LOG_LEVEL=INFO",
    ]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _line_for(lines: list[dict], url: str) -> dict:
    """The line that accounts for *url*: its first capture is *url* (redirects follow it), or nothing was captured."""
    matches = [line for line in lines if (line["sources"][0]["url"] if line["sources"] else line["url"]) == url]
    assert len(matches) == 1, f"{len(matches)} lines for {url}"
    return matches[0]


def test_one_line_per_requested_url(crawled: list[dict], requested: dict[str, str]) -> None:
    assert len(crawled) == len(requested)
    for url in requested:
        _line_for(crawled, url)


def test_every_line_validates_against_the_schema(crawled: list[dict]) -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for line in crawled:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(line)]
        assert not errors, (line["url"], errors)


def test_each_url_says_what_happened(crawled: list[dict], requested: dict[str, str]) -> None:
    for url, warning in requested.items():
        line = _line_for(crawled, url)
        if warning:
            assert line["warnings"] and line["warnings"][0].startswith(warning), (url, line["warnings"])
        else:
            assert line["warnings"] == [], (url, line["warnings"])


def test_html_pages_are_extracted(crawled: list[dict], site: str) -> None:
    article = _line_for(crawled, f"{site}/news/harbour.html")
    assert (article["id"], article["title"], article["published_at"], len(article["comments"])) == (
        "127.0.0.1:/news/harbour.html",  # the canonical URL is on another site, so the id is not taken from it
        "Harbour bridge reopens after two years of repairs", "2024-03-15T08:30:00+01:00", 2)
    gazeta = _line_for(crawled, f"{site}/gazeta.html")
    assert gazeta["title"] == "Фестиваль уличной музыки пройдёт в парке"


def test_redirects_are_followed_and_recorded(crawled: list[dict], site: str) -> None:
    line = _line_for(crawled, f"{site}/old-harbour")
    assert line["url"] == f"{site}/news/harbour.html"
    assert [(s["url"], s["status"]) for s in line["sources"]] == [
        (f"{site}/old-harbour", 301), (f"{site}/news/harbour.html", 200)]
    other_host = site.replace("127.0.0.1", "localhost")
    line = _line_for(crawled, f"{site}/elsewhere")
    assert (line["url"], line["site"], line["title"]) == (
        f"{other_host}/news/harbour.html", "localhost", "Harbour bridge reopens after two years of repairs")
    assert [(s["url"], s["status"]) for s in line["sources"]] == [
        (f"{site}/elsewhere", 302), (f"{other_host}/news/harbour.html", 200)]


def test_fetched_pages_carry_their_capture(crawled: list[dict], site: str) -> None:
    for path, status in (("/news/harbour.html", 200), ("/missing", 404), ("/photo.png", 200)):
        line = _line_for(crawled, site + path)
        assert (line["sources"][-1]["url"], line["sources"][-1]["status"]) == (site + path, status)
        assert line["fetched_at"] == line["sources"][-1]["captured_at"]


@pytest.mark.parametrize(("arguments", "message"), [
    ({}, "spider argument urls: no URLs given: pass urls=URL1,URL2 or urls_file=FILE"),
    ({"urls": "example.com/news"}, "spider argument urls: 'example.com/news' is not an absolute http(s) URL"),
    ({"urls": "ftp://example.com/a"}, "spider argument urls: 'ftp://example.com/a' is not an absolute http(s) URL"),
    ({"urls_file": "/nonexistent/list.txt"},
     "spider argument urls_file: cannot read '/nonexistent/list.txt': No such file or directory"),
    ({"url": "http://example.com/"}, "spider argument url: unknown argument (known: urls, urls_file)"),
])
def test_bad_arguments_fail_at_construction(arguments: dict[str, str], message: str) -> None:
    with pytest.raises(SpiderArgumentError) as raised:
        UrlsSpider(**arguments)
    assert str(raised.value) == message


@pytest.mark.parametrize(("urls", "expected"), [
    ("http://a.example/1,https://b.example/2", ["http://a.example/1", "https://b.example/2"]),
    ("http://a.example/q?tags=x,y,z, http://b.example/", ["http://a.example/q?tags=x,y,z", "http://b.example/"]),
    ("http://a.example/1,http://a.example/1,", ["http://a.example/1"]),
])
def test_url_list_argument(urls: str, expected: list[str]) -> None:
    assert UrlsSpider(urls=urls).requested == expected


def test_urls_file(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("# to archive\n\nhttp://a.example/1\n  https://b.example/2  \n# done\n", encoding="utf-8")
    spider = UrlsSpider(urls_file=str(listing), urls="http://c.example/3")
    assert spider.requested == ["http://c.example/3", "http://a.example/1", "https://b.example/2"]


def test_urls_file_names_the_bad_line(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("http://a.example/1\nnot a url\n", encoding="utf-8")
    with pytest.raises(SpiderArgumentError) as raised:
        UrlsSpider(urls_file=str(listing))
    assert str(raised.value) == "spider argument urls_file (line 2): 'not a url' is not an absolute http(s) URL"

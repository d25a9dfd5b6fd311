"""An unreadable robots.txt disallows everything and is tried again later (RFC 9309, 2.3.1); 4xx allows all.

Each case is a hostile server whose robots.txt misbehaves in one way, and a
real ``newsarchive crawl urls`` of a public page and a page the robots.txt
(when readable) disallows. What the server was asked for is the outcome.
"""

from __future__ import annotations

import threading

import pytest

from faultkit import by_url, crawl_args, job_dir, jsonl, newsarchive
from hostile import Behaviour, cut_short, hostile_server, never_answers, page, respond, robots, status

RULES = "User-agent: *\nDisallow: /private/\n"
PUBLIC, PRIVATE = "/news/public.html", "/private/secret.html"


def _pages() -> dict[str, Behaviour]:
    return {PUBLIC: respond(page("public")), PRIVATE: respond(page("secret"))}


def _crawl(server_url: str, tmp_path, **settings: str) -> tuple[int, str, dict[str, dict]]:
    done = newsarchive(*crawl_args([server_url + PUBLIC, server_url + PRIVATE], tmp_path / "out", **settings))
    return done.returncode, done.stderr, by_url(jsonl(job_dir(tmp_path / "out") / "items.jsonl"))


UNREACHABLE = {
    # A body cut off before its Content-Length: the cut may have taken a Disallow line with it.
    "cut off": lambda stop: cut_short((RULES + "Disallow: /ar").encode(), claimed=len(RULES) + 200,
                                      content_type="text/plain"),
    "503": lambda stop: status("503 Service Unavailable"),
    "500 with a body of rules": lambda stop: respond(b"User-agent: *\nAllow: /\n", status="500 Internal Server Error",
                                                     content_type="text/plain"),
    "timeout": never_answers,
}


@pytest.mark.parametrize("fault", list(UNREACHABLE))
def test_unreachable_robots_txt_disallows_everything(tmp_path, fault):
    with hostile_server(lambda stop: {"/robots.txt": UNREACHABLE[fault](stop), **_pages()}) as server:
        status_, stderr, lines = _crawl(server.url, tmp_path, DOWNLOAD_TIMEOUT="2")
        requested = server.requested
    assert PRIVATE not in requested and PUBLIC not in requested, requested
    # Tried again after the delay, then given up.
    assert requested.count("/robots.txt") == 2
    for url in (server.url + PUBLIC, server.url + PRIVATE):
        (warning,) = lines[url]["warnings"]
        assert "robots.txt unreachable" in warning
    assert "robots.txt of 127.0.0.1" in stderr and "unreachable" in stderr
    assert status_ == 1  # the crawl could not do its job: an error, said in the summary


def _flaky_robots(failures: int, failure: Behaviour) -> Behaviour:
    """Fails *failures* times, then serves the rules."""
    answered = robots(RULES)
    lock, count = threading.Lock(), [0]

    def behave(conn, request):  # noqa: ANN001 -- a hostile.Behaviour
        with lock:
            count[0] += 1
            n = count[0]
        (failure if n <= failures else answered)(conn, request)
    return behave


def test_robots_txt_that_recovers_is_obeyed_once_readable(tmp_path):
    routes = {"/robots.txt": _flaky_robots(3, status("503 Service Unavailable")), **_pages()}
    with hostile_server(routes) as server:
        status_, stderr, lines = _crawl(server.url, tmp_path, ROBOTSTXT_RETRY_DELAYS="0.1,0.1,0.1")
        requested = server.requested
    assert requested.count("/robots.txt") == 4
    assert PUBLIC in requested
    assert PRIVATE not in requested
    assert lines[server.url + PUBLIC]["title"] == "The public page"
    assert lines[server.url + PRIVATE]["warnings"] == ["not fetched: IgnoreRequest: Forbidden by robots.txt"]
    assert status_ == 0, stderr[-2000:]


@pytest.mark.parametrize("code", ["404 Not Found", "403 Forbidden", "410 Gone"])
def test_robots_txt_4xx_allows_everything(tmp_path, code):
    with hostile_server({"/robots.txt": status(code), **_pages()}) as server:
        status_, stderr, lines = _crawl(server.url, tmp_path)
        requested = server.requested
    assert requested.count("/robots.txt") == 1
    assert {PUBLIC, PRIVATE} <= set(requested)
    assert lines[server.url + PRIVATE]["title"] == "The secret page"
    assert status_ == 0, stderr[-2000:]


def test_readable_robots_txt_is_obeyed(tmp_path):
    with hostile_server({"/robots.txt": robots(RULES), **_pages()}) as server:
        status_, stderr, lines = _crawl(server.url, tmp_path)
        requested = server.requested
    assert PUBLIC in requested and PRIVATE not in requested
    assert lines[server.url + PRIVATE]["warnings"] == ["not fetched: IgnoreRequest: Forbidden by robots.txt"]

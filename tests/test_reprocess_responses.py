"""Replayed responses are the responses Scrapy built live: one crawl of odd HTTP responses, then its WARC replayed.

The raw test server (``tests/rawhttp.py``) sends byte-exact oddities: two
``Set-Cookie``, a non-UTF-8 header value, HTTP/1.0 with the body ended by the
connection, gzip, chunked framing with a trailer, odd header case and order,
bare LF line ends, a redirect, a 404, an image, two URLs with one payload
(the second archived as a revisit), a 103 before the 200, a 503 retried into
a 200. A probe spider describes each response it gets (class, status,
protocol, headers in order, decoded body, flags); run live and under
reprocessing, it must say the same things.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.reprocess import reprocess
from rawhttp import running_raw_server
from reprocess_probe_spider import ResponseProbeSpider
from warc_fetch_spider import REPO, TEST_SETTINGS

PATHS = ["/page?b=2&a=1&q=caf%C3%A9", "/cookies", "/latin1-header", "/http10", "/gzip", "/chunked", "/odd-case",
         "/bare-lf", "/redirect", "/missing", "/image.png", "/same-a", "/same-b", "/early-hints", "/flaky?n=7"]


def _items(path: Path) -> list[dict]:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return sorted(items, key=lambda item: (item["url"], item["status"]))


@pytest.fixture(scope="module")
def live_and_replayed(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict], list[dict]]:
    archive = tmp_path_factory.mktemp("probe")
    with running_raw_server() as base:
        _crawl([base + path for path in PATHS], archive)
    output = archive / "replayed.jsonl"
    result = reprocess([archive / "probe"], output=output, spider=ResponseProbeSpider, workers=1, progress="none")
    assert result.exit_status == 0, result.summary()
    return _items(archive / "probe" / "items.jsonl"), _items(output)


def _crawl(urls: list[str], archive: Path) -> None:
    """A live crawl of *urls* by the probe spider, with the project's settings, into the job folder ``probe``."""
    command = [sys.executable, "-m", "scrapy", "runspider", str(Path(__file__).parent / "reprocess_probe_spider.py"),
               "-a", "urls=" + ",".join(urls)]
    for name, value in {**TEST_SETTINGS, "ARCHIVE_DIR": str(archive), "ARCHIVE_JOB_ID": "probe"}.items():
        command += ["-s", f"{name}={value}"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]


def test_every_response_is_built_as_live(live_and_replayed: tuple[list[dict], list[dict]]) -> None:
    live, replayed = live_and_replayed
    assert len(live) == len(PATHS)
    # Live, the redirect's target was fetched twice (listed, and through the redirect); replayed, it is reached
    # through the redirect only, which is all a starting point from the archive can be.
    assert replayed == [item for n, item in enumerate(live) if item not in live[:n]]


def test_what_the_probe_saw(live_and_replayed: tuple[list[dict], list[dict]]) -> None:
    _, replayed = live_and_replayed
    by_path = {item["url"].split("/", 3)[3]: item for item in replayed}
    assert by_path["cookies"]["headers"] == [
        ["Content-Length", ["86"]], ["Set-Cookie", ["a=1; Path=/", "b=2; Path=/; HttpOnly"]],
        ["Content-Type", ["text/html"]],
    ]
    assert [name for name, _ in by_path["chunked"]["headers"]] == ["Content-Type"]  # no length known, framing gone
    assert (by_path["http10"]["protocol"], by_path["odd-case"]["protocol"]) == ("HTTP/1.0", "HTTP/1.1")
    assert (by_path["missing"]["status"], by_path["image.png"]["class"], by_path["gzip"]["class"]) == (
        404, "Response", "HtmlResponse")
    assert by_path["flaky?n=7"]["status"] == 200

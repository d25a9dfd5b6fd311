"""robots.txt is obeyed for every request, also for many that arrive before robots.txt is in."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PRIVATE_PAGES = [f"/private/page-{n}.html" for n in range(8)]


@pytest.fixture
def site() -> Iterator[tuple[str, list[str]]]:
    """A site whose robots.txt disallows /private/; yields its URL and the paths it was asked for."""
    requested: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            requested.append(self.path)
            body = b"User-agent: *\nDisallow: /private/\n" if self.path == "/robots.txt" else b"<html></html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requested
    server.shutdown()
    server.server_close()


def test_every_start_url_waiting_for_robots_txt_is_checked(site, tmp_path):
    base, requested = site
    urls = ",".join(base + path for path in PRIVATE_PAGES)
    subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "urls", "-a", f"urls={urls}", "-O", str(tmp_path / "out.jsonl"),
         "-s", f"ARCHIVE_DIR={tmp_path / 'archive'}", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"],
        cwd=REPO, check=True, capture_output=True,
    )
    assert requested == ["/robots.txt"]
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert sorted(line["url"] for line in lines) == sorted(base + path for path in PRIVATE_PAGES)
    assert {tuple(line["warnings"]) for line in lines} == {("not fetched: IgnoreRequest: Forbidden by robots.txt",)}

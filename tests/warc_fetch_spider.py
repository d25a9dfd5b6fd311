"""A spider for the WARC tests: fetches exactly the URLs it is given and records their sources."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.domain.provenance import capture_of
from crawler.warc.http11 import WireCapture


class WarcFetchSpider(scrapy.Spider):
    """``-a urls=U1,U2``: one item per URL with the response's status and ``sources``."""

    name = "warcfetch"

    def __init__(self, urls: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        self.urls = [url for url in urls.split(",") if url]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, dont_filter=True, meta={"handle_httpstatus_list": [404]})

    def parse(self, response: Response) -> Iterator[dict[str, Any]]:
        yield {
            "url": response.url,
            "status": response.status,
            "sources": [dataclasses.asdict(source) for source in capture_of(response).sources],
            "raw_capture_in_meta": any(isinstance(value, WireCapture) for value in response.meta.values()),
        }


REPO = Path(__file__).resolve().parents[1]
# Fast, deterministic test crawls: no politeness delays against our own local server.
TEST_SETTINGS = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "INFO"}


def crawl_command(urls: list[str], archive_dir: Path, job_id: str, **settings: str) -> list[str]:
    """``scrapy runspider`` of this spider with the project's settings, writing into *archive_dir*/*job_id*."""
    command = [sys.executable, "-m", "scrapy", "runspider", __file__, "-a", "urls=" + ",".join(urls)]
    options = {**TEST_SETTINGS, "ARCHIVE_DIR": str(archive_dir), "ARCHIVE_JOB_ID": job_id, **settings}
    for name, value in options.items():
        command += ["-s", f"{name}={value}"]
    return command


def run_crawl(urls: list[str], archive_dir: Path, job_id: str, **settings: str) -> str:
    """Run a crawl to its end in a subprocess (from the repository, so scrapy.cfg applies); return its log."""
    done = subprocess.run(
        crawl_command(urls, archive_dir, job_id, **settings), cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stderr

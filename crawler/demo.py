"""``newsarchive demo``: serve the bundled replica site and crawl it, end to end, offline."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from crawler.run import LOCAL_SITE_SETTINGS, CrawlResult, run_crawl


class ReplicaStartError(RuntimeError):
    """The replica server did not come up."""


@contextmanager
def replica_server(port: int = 0, seed: int | None = None) -> Iterator[str]:
    """Run the replica site in a child process (so it has a core of its own); yields its base URL."""
    command = [sys.executable, "-m", "crawler.replica", "--port", str(port)]
    if seed is not None:
        command += ["--seed", str(seed)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http://"):
            raise ReplicaStartError(f"the replica server did not start (exit status {process.poll()})")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def run_demo(archive_dir: str | Path = "archive", *, max_articles: int | None = None,
             settings: dict | None = None) -> CrawlResult:
    """Crawl the whole replica site with the ``topwar`` spider into ``archive_dir/{date}-demo``."""
    spider_args = {}
    if max_articles is not None:
        spider_args["max_articles"] = str(max_articles)
    with replica_server() as url:
        spider_args["start_urls"] = url
        return run_crawl("topwar", spider_args=spider_args, archive_dir=archive_dir, job_name="demo",
                         settings={**LOCAL_SITE_SETTINGS, **(settings or {})})

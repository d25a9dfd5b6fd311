"""Crawls for the distributed tests: run one, read what it wrote and what the replica saw of it, compare lines."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from crawler.runs.demo import ReplicaProcess

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOCAL = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]
_REQUEST = re.compile(r'"(?:GET|HEAD|POST) (\S+) HTTP/1\.[01]" (\d{3}) ')
_RELATIVE = re.compile(r"ago|today|yesterday|сегодня|вчера|назад", re.IGNORECASE)


@dataclass
class Crawl:
    done: Any  # the finished process, or what it printed
    job_dir: Path
    lines: list[dict]
    fetches: list[tuple[str, int]]  # (path, status) from the replica's log, in order

    @property
    def articles(self) -> dict[str, dict]:
        return {line["id"]: line for line in self.lines}


def run_crawl(archive: Path, replica: ReplicaProcess, *arguments: str) -> Crawl:
    """Crawl the whole *replica* with the topwar spider; what it wrote and what the replica saw of it."""
    log_start = len(replica.log_path.read_text().splitlines())
    done = subprocess.run([sys.executable, "-m", "crawler", "crawl", "topwar", "--out", str(archive),
                           "-a", f"start_urls={replica.url}", *LOCAL, *arguments],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    return read_job(archive, replica, log_start, done)


def read_job(archive: Path, replica: ReplicaProcess, log_start: int, done: Any) -> Crawl:
    """The one job folder in *archive*, and the fetches of the replica's log from line *log_start* on."""
    (job_dir,) = (path for path in archive.iterdir() if path.is_dir())
    lines = [json.loads(line) for line in (job_dir / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    return Crawl(done, job_dir, lines, fetches_in(replica.log_path.read_text().splitlines()[log_start:]))


def fetches_in(log_lines: list[str]) -> list[tuple[str, int]]:
    return [(match[1], int(match[2])) for line in log_lines if (match := _REQUEST.search(line))]


def comparable(article: dict) -> dict:
    """A line without what depends on the moment and the worker of each fetch: capture times and WARC places;
    relative comment dates ('5 minutes ago') move with the clock, absolute ones must agree."""
    comments = [{key: value for key, value in comment.items()
                 if not (key in ("posted_at", "posted_at_raw") and _RELATIVE.search(comment["posted_at_raw"] or ""))}
                for comment in article["comments"]]
    return {**{key: value for key, value in article.items() if key not in ("fetched_at", "sources")},
            "comments": comments}


def warc_files(job_dir: Path) -> list[Path]:
    return sorted([*job_dir.glob("*.warc.gz"), *job_dir.glob("*.warc.gz.open")])


def captures(job_dir: Path) -> dict[str, list[str]]:
    """Target URI -> the WARC files holding a response or revisit record for it."""
    found: dict[str, list[str]] = {}
    for path in warc_files(job_dir):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type in ("response", "revisit"):
                    found.setdefault(record.rec_headers.get_header("WARC-Target-URI"), []).append(path.name)
    return found

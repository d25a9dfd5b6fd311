"""Where a crawl's output lands: one job folder per crawl inside the archive folder.

A job is named ``{UTC date}-{name}`` (``-2``, ``-3``… when that folder exists)
and holds the crawl's WARC files and ``items.jsonl``. Every component asks
:func:`job_for` so they all agree on one folder, whether the crawl was started
by ``newsarchive crawl`` (which fixes the job in the settings) or by
``scrapy crawl`` (which leaves it to be chosen here, once).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler


@dataclass(frozen=True)
class Job:
    """One crawl's identity and output folder."""

    id: str
    dir: Path
    archive_dir: Path


_jobs: weakref.WeakKeyDictionary[Crawler, Job] = weakref.WeakKeyDictionary()


def create_job(archive_dir: str | Path, name: str, now: datetime | None = None) -> Job:
    """Create and return a new, empty job folder named after *name* and today's UTC date."""
    archive_dir = Path(archive_dir)
    archive_dir.mkdir(parents=True, exist_ok=True)
    day = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%d")
    base = f"{day}-{name}"
    for attempt in range(1, 10_000):
        job_id = base if attempt == 1 else f"{base}-{attempt}"
        try:
            (archive_dir / job_id).mkdir()
        except FileExistsError:
            continue
        return Job(id=job_id, dir=archive_dir / job_id, archive_dir=archive_dir)
    raise RuntimeError(f"no free job folder name for {base!r} in {archive_dir}")


def job_for(crawler: Crawler) -> Job:
    """The job of *crawler*: the one its settings name, or a new one chosen once."""
    job = _jobs.get(crawler)
    if job is None:
        settings = crawler.settings
        archive_dir = Path(settings.get("ARCHIVE_DIR"))
        job_id = settings.get("ARCHIVE_JOB_ID")
        if job_id:
            job = Job(id=job_id, dir=archive_dir / job_id, archive_dir=archive_dir)
            job.dir.mkdir(parents=True, exist_ok=True)
        else:
            job = create_job(archive_dir, crawler.spidercls.name)
        _jobs[crawler] = job
    return job


def feed_uri_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """``FEED_URI_PARAMS`` hook: lets feed URIs say ``%(job_dir)s``."""
    return {**params, "job_dir": str(job_for(spider.crawler).dir)}

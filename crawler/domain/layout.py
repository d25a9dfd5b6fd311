"""Where a crawl's output lands: the archive folder and its job folders.

An archive folder holds one job folder per crawl, named ``{UTC date}-{name}``
(``-2``, ``-3``… when that folder exists), with the crawl's WARC files and
``items.jsonl``, and the payload-digest index that every crawl into the
folder shares. This module only names and creates folders; which job a
running crawl writes into is settled by :class:`crawler.components.jobfolder.JobFolder`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ITEMS_FILENAME = "items.jsonl"
STATS_FILENAME = "stats.json"
DIGEST_INDEX_FILENAME = "warc-digests.sqlite3"


@dataclass(frozen=True)
class Job:
    """One crawl's identity and output folder."""

    id: str
    dir: Path
    archive_dir: Path

    @classmethod
    def named(cls, archive_dir: str | Path, job_id: str) -> Job:
        """The job *job_id* of *archive_dir* (its folder is not created here)."""
        archive_dir = Path(archive_dir)
        return cls(id=job_id, dir=archive_dir / job_id, archive_dir=archive_dir)

    @property
    def items_path(self) -> Path:
        return self.dir / ITEMS_FILENAME

    @property
    def stats_path(self) -> Path:
        """The crawl's final stats, where something keeps them (a watch's runs, a distributed crawl)."""
        return self.dir / STATS_FILENAME

    @property
    def digest_index_path(self) -> Path:
        return self.archive_dir / DIGEST_INDEX_FILENAME


def create_job(archive_dir: str | Path, name: str, now: datetime) -> Job:
    """Create and return a new, empty job folder named after *name* and the UTC date of *now*."""
    archive_dir = Path(archive_dir)
    archive_dir.mkdir(parents=True, exist_ok=True)
    base = f"{now.astimezone(timezone.utc):%Y-%m-%d}-{name}"
    for attempt in range(1, 10_000):
        job = Job.named(archive_dir, base if attempt == 1 else f"{base}-{attempt}")
        try:
            job.dir.mkdir()
        except FileExistsError:
            continue
        return job
    raise RuntimeError(f"no free job folder name for {base!r} in {archive_dir}")

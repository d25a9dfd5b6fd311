"""``newsarchive crawl SPIDER … --resume JOB_DIR``: go on with a crawl that was killed, stopped or ran out of disk.

Scrapy's own ``JOBDIR`` cannot do this after a crash: its request queue
writes the file that says what the queue holds only when the crawl closes,
and its seen-requests file is buffered, so a crawl killed with SIGKILL (or a
power cut) leaves state that is missing or wrong; and it resumes into
another job folder. The job's WARC files are a record of what was fetched
that is flushed record by record, so the resume builds on them instead:

1. the job folder is checked (its manifest ``job.json`` names the spider,
   arguments and settings; a finished crawl, a folder that is no job, or a
   crawl still running there is refused before anything is written) and its
   lock taken;
2. its files are closed out (:mod:`crawler.resume.closeout`): WARC files left
   ``.open`` get their incomplete tails cut off into files of their own, and
   their finished names; ``items.jsonl`` is cut back to its last whole line;
3. a capture index of the job's WARC files is built (reprocessing's), and the
   spider runs again from its start URLs with the same arguments, skipping the
   articles ``items.jsonl`` has (``RESUME_DONE``), while
   :class:`~crawler.resume.handler.ResumeDownloadHandler` answers every request
   the WARCs hold from them and fetches the rest into a new WARC file of the job.

So no page is fetched again but those in flight when the crawl died, no line
is written twice, and the articles that were waiting for comment pages are
completed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from crawler.domain.done import SETTING as DONE_SETTING
from crawler.domain.done import DoneArticles
from crawler.domain.jobstate import JobManifest, ManifestError, job_lock
from crawler.domain.layout import DIGEST_INDEX_FILENAME, ITEMS_FILENAME, Job
from crawler.reprocess.handler import SESSION_SETTING
from crawler.reprocess.index import CaptureIndex, build_index
from crawler.resume.closeout import CloseOutError, close_out_lines, close_out_warc
from crawler.resume.handler import ResumeSession
from crawler.runs.crawl import CrawlResult, check_crawl_setup, crawl_job
from crawler.runs.outcome import RunFailed, RunRefused
from crawler.warc.dedup import DigestIndex
from crawler.warc.reader import WARC_SUFFIXES
from crawler.warc.writer import OPEN_SUFFIX

logger = logging.getLogger(__name__)

HANDLER = "crawler.resume.handler.ResumeDownloadHandler"


def resume_crawl(job_dir: str | Path, spider: str, *, spider_args: Mapping[str, str] | None = None,
                 archive_dir: str | Path | None = None, settings: Mapping[str, Any] | None = None) -> CrawlResult:
    """Resume the crawl of the job folder *job_dir* (see the module docstring); blocks until it ends.

    *spider* and *spider_args*, if given, must be the job's; *archive_dir*, if
    given, must be the folder that holds it. *settings* are laid over the
    ones the crawl was started with. Raises :class:`RunRefused` (nothing written)
    for a folder that cannot be resumed, :class:`RunFailed` if a crawl still runs in it.
    """
    job_dir = Path(job_dir)
    manifest = _resumable(job_dir, spider, dict(spider_args or {}), archive_dir)
    merged = {**manifest.settings, **dict(settings or {})}
    check_crawl_setup(manifest.spider, manifest.arguments, merged)
    job = Job.named(job_dir.parent, job_dir.name)
    lock = job_lock(job.dir)
    if not lock.try_acquire():
        raise RunFailed(f"a crawl is running in {job.dir} (its lock is held): it cannot be resumed now")
    try:
        notes, done = _close_out(job)
        index, own = _capture_index(job)
        notes.append(f"{len(done):,} articles already written are skipped; the job's {len(own)} WARC files "
                     f"answer for {sum(1 for c in index.captures() if c.file in own):,} captures")
        for note in notes:
            logger.warning("resume: %s", note)
        manifest.resumes.append({"at": datetime.now(timezone.utc).isoformat(), "after": manifest.status,
                                 "settings": dict(settings or {}), "notes": notes})
        manifest.status = "running"
        manifest.write(job.dir)
        session = ResumeSession(index, own_files=frozenset(own))
        result = crawl_job(job, manifest, merged, {
            SESSION_SETTING: session,
            DONE_SETTING: done,
            "DOWNLOAD_HANDLERS": {"http": HANDLER, "https": HANDLER},
        })
    finally:
        lock.release()
    result.notes = notes
    return result


def _resumable(job_dir: Path, spider: str, spider_args: dict[str, str], archive_dir: str | Path | None
               ) -> JobManifest:
    """The job's manifest, if the crawl of *job_dir* can be resumed as asked; else :class:`RunRefused`."""
    if not job_dir.is_dir():
        raise RunRefused(f"--resume: {job_dir} is not a folder")
    try:
        manifest = JobManifest.read(job_dir)
    except ManifestError as e:
        raise RunRefused(f"--resume: {job_dir} is not the job folder of a crawl newsarchive crawl started "
                         f"({e})") from e
    if manifest.complete:
        raise RunRefused(f"--resume: the crawl of {job_dir} ended ({manifest.status} at {manifest.ended_at}): "
                         "there is nothing to resume")
    if spider != manifest.spider:
        raise RunRefused(f"--resume: {job_dir} is a crawl of spider {manifest.spider}, not {spider}")
    if spider_args and spider_args != manifest.arguments:
        given = " ".join(f"-a {name}={value}" for name, value in manifest.arguments.items()) or "no -a arguments"
        raise RunRefused(f"--resume: {job_dir} was crawled with {given}; give the same, or none")
    if archive_dir is not None and Path(archive_dir).resolve() != job_dir.resolve().parent:
        raise RunRefused(f"--resume: {job_dir} is not in --out {archive_dir}")
    if manifest.settings.get("WARC_DIR"):
        raise RunRefused(f"--resume: the crawl of {job_dir} wrote its WARC files to WARC_DIR "
                         f"{manifest.settings['WARC_DIR']}, among other crawls': only a job whose WARC files are in "
                         "its own folder can be resumed")
    return manifest


def _close_out(job: Job) -> tuple[list[str], DoneArticles]:
    """Close out the job's unfinished WARC files and its JSON Lines; what was done, and the articles done."""
    notes = []
    index_path = job.digest_index_path
    digests = DigestIndex(index_path) if index_path.exists() else None
    try:
        for path in sorted(job.dir.glob("*.warc*" + OPEN_SUFFIX)):
            notes.append(str(close_out_warc(path, digests)))
        closed, done = close_out_lines(job.dir / ITEMS_FILENAME)
    except CloseOutError as e:
        raise RunFailed(str(e)) from e
    except OSError as e:
        raise RunFailed(f"cannot close out {job.dir}: {e.strerror or e}") from e
    finally:
        if digests is not None:
            digests.close()
    notes.append(str(closed))
    return notes, done


def _capture_index(job: Job) -> tuple[CaptureIndex, set[int]]:
    """The capture index of the job's WARC files (numbered first), with the files of the archive that hold the
    payloads its revisit records refer to; and the numbers of the job's own files."""
    own = sorted(path for path in job.dir.iterdir() if path.is_file() and path.name.endswith(WARC_SUFFIXES))
    if not own:
        return CaptureIndex([]), set()
    workers = max(1, min(len(own), os.cpu_count() or 1))
    index = build_index(own, workers=workers)
    missing = {capture.digest for capture in index.captures()
               if capture.kind == "revisit" and capture.digest and index.original_of(capture) is None}
    others = _files_holding(job, missing) if missing else []
    if others:
        index = build_index([*own, *others], workers=max(1, min(len(own) + len(others), os.cpu_count() or 1)))
    return index, set(range(len(own)))


def _files_holding(job: Job, digests: set[str]) -> list[Path]:
    """The WARC files of other jobs of the archive that hold the payloads *digests* name (by the dedup index)."""
    index_path = job.archive_dir / DIGEST_INDEX_FILENAME
    if not index_path.exists():
        return []
    index = DigestIndex(index_path)
    try:
        names = index.files_holding(digests)
    finally:
        index.close()
    found = []
    for name in sorted(names):
        for candidate in (name, name + OPEN_SUFFIX):
            found += [path for path in job.archive_dir.glob(f"*/{candidate}") if path.parent != job.dir]
    return found

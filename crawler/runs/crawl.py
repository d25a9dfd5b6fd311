"""Running a crawl from Python: one job folder, one Scrapy process, a summary and an exit status."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import SETTINGS_PRIORITIES, Settings
from scrapy.spiderloader import get_spider_loader
from twisted.python.failure import Failure

from crawler.components.diskguard import LOW_SPACE_STAT, FreeSpaceSettingError, min_free_bytes
from crawler.components.feedstorage import WRITE_FAILED_STAT
from crawler.domain.done import SETTING as DONE_SETTING
from crawler.domain.done import DoneArticlesError, done_articles
from crawler.domain.jobstate import LOCK_FILENAME, MANIFEST_FILENAME, JobManifest, job_lock
from crawler.domain.layout import Job, create_job
from crawler.domain.outputs import OutputError, check_writable_folder
from crawler.domain.params import SpiderArgumentError
from crawler.runs.children import stopping_cleanly_on_hangup
from crawler.runs.outcome import EXIT_FAILED, EXIT_OK, RunFailed, RunRefused, missing_fields_lines, ran_cleanly
from crawler.runs.settingcheck import SettingValueError, check_setting_values
from crawler.warc.config import WarcConfig, WarcSettingError, warc_enabled
from crawler.warc.reader import WARC_SUFFIXES

logger = logging.getLogger(__name__)


# Settings for crawling a site on this machine: no politeness delays needed.
LOCAL_SITE_SETTINGS: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}


@dataclass
class CrawlResult:
    """What a finished crawl produced, from its final stats."""

    job: Job
    stats: dict[str, Any]
    error: str | None = None
    warc_dir: Path | None = None
    warc_files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what a resume found and did before the crawl

    @property
    def items_path(self) -> Path:
        return self.job.items_path

    @property
    def exit_status(self) -> int:
        finish_reason = str(self.stats.get("finish_reason", "did not finish"))
        clean = ran_cleanly([finish_reason], self.stats, [self.error] if self.error is not None else [])
        return EXIT_OK if clean else EXIT_FAILED

    def summary(self) -> str:
        """A few lines for the terminal: how much came out, how much was only partly readable."""
        s = self.stats
        if self.error is not None:
            return f"newsarchive: crawl did not run: {self.error}"
        http_errors = sum(v for k, v in s.items() if k.startswith("downloader/response_status_count/")
                          and int(k.rsplit("/", 1)[1]) >= 400)
        refused = s.get("robotstxt/forbidden", 0)
        # Scrapy counts a request refused by robots.txt among download exceptions.
        failed = s.get("downloader/exception_count", 0) - refused
        lines = [
            f"newsarchive: crawl {s.get('finish_reason', 'did not finish')} "
            f"in {s.get('elapsed_time_seconds', 0):.1f} s — job {self.job.id}",
            f"  pages fetched:   {s.get('downloader/response_count', 0)} "
            f"(HTTP errors: {http_errors}, failed downloads: {failed}, refused by robots.txt: {refused})",
            f"  articles:        {s.get('newsarchive/articles', 0)} "
            f"({s.get('newsarchive/articles_with_warnings', 0)} with warnings)",
            f"  comments:        {s.get('newsarchive/comments', 0)}",
            f"  warnings:        {s.get('newsarchive/warnings', 0)}",
            *missing_fields_lines(s),
            f"  errors:          {s.get('log_count/ERROR', 0)}",
            f"  JSON Lines:      {self.items_path}",
            f"  WARC files:      {len(self.warc_files)} in {self.warc_dir or self.job.dir}",
            *s.get("newsarchive/markup_changed", []),
            *(f"  stopped:         {s[key]}" for key in (LOW_SPACE_STAT, WRITE_FAILED_STAT, "warc/unfinished")
              if s.get(key)),
        ]
        if self.notes:
            lines.append(f"  resumed:         {s.get('resume/from_warc', 0)} responses from the job's WARC files, "
                         f"{s.get('resume/fetched', 0)} fetched")
            lines += [f"    {note}" for note in self.notes]
        return "\n".join(lines)


def check_crawl_setup(spider: str, spider_args: Mapping[str, str],
                      settings: Mapping[str, Any] | None = None) -> None:
    """Refuse a crawl that cannot run, naming the culprit (:class:`RunRefused`): an unknown spider, a bad
    spider argument, a setting of the wrong type, a bad ``WARC_*`` setting. Nothing is written before this passes."""
    try:
        # The WARC_* settings are checked by WarcConfig, which knows their bounds too.
        check_setting_values({k: v for k, v in (settings or {}).items() if not k.startswith("WARC_")},
                             project_settings())
    except SettingValueError as e:
        raise RunRefused(str(e)) from e
    crawl_settings = project_settings(settings)
    try:
        if warc_enabled(crawl_settings):
            WarcConfig.from_settings(crawl_settings)
    except WarcSettingError as e:
        raise RunRefused(f"setting {e}") from e
    try:
        min_free_bytes(crawl_settings.get("ARCHIVE_MIN_FREE", 0))
        done_articles(crawl_settings.get(DONE_SETTING))
    except (FreeSpaceSettingError, DoneArticlesError) as e:
        raise RunRefused(str(e)) from e
    loader = get_spider_loader(crawl_settings)
    try:
        spidercls = loader.load(spider)
    except KeyError as e:
        raise RunRefused(f"no spider named {spider!r}; available: {', '.join(sorted(loader.list()))}") from e
    try:
        spidercls(**spider_args)
    except SpiderArgumentError as e:
        raise RunRefused(str(e)) from e


def project_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    """The project's settings (``crawler.settings``) plus *overrides*, wherever the command runs."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    if overrides:
        settings.setdict(dict(overrides), priority="cmdline")
    return settings


def run_crawl(
    spider: str,
    *,
    spider_args: Mapping[str, str] | None = None,
    archive_dir: str | Path = "archive",
    job_name: str | None = None,
    settings: Mapping[str, Any] | None = None,
) -> CrawlResult:
    """Crawl with *spider* into a new job folder of *archive_dir*; blocks until the crawl ends.

    An unknown spider, a bad spider argument or a bad ``WARC_*`` setting raises
    :class:`~crawler.runs.outcome.RunRefused` before anything is written. The
    job folder gets its manifest (``job.json``: spider, arguments, settings,
    how the crawl went), so ``--resume`` can go on with a crawl that was cut
    short. Runs the Twisted reactor, so it can be called once per process.
    """
    spider_args, settings = dict(spider_args or {}), dict(settings or {})
    check_crawl_setup(spider, spider_args, settings)
    try:
        check_writable_folder(archive_dir)
    except OutputError as e:
        raise RunRefused(f"--out: {e}") from e
    job_id = str(settings.get("ARCHIVE_JOB_ID") or "")
    if job_id:
        # A job folder chosen by the caller (a watch prepares each run's folder before the crawl starts).
        job = Job.named(archive_dir, job_id)
        job.dir.mkdir(parents=True, exist_ok=True)
    else:
        job = create_job(archive_dir, job_name or spider, datetime.now(timezone.utc))
    lock = job_lock(job.dir)
    if not lock.try_acquire():
        raise RunFailed(f"another crawl is writing into the job folder {job.dir}")
    try:
        manifest = JobManifest(spider, spider_args, settings, started_at=datetime.now(timezone.utc).isoformat())
        try:
            manifest.write(job.dir)
        except OSError as e:
            raise RunFailed(f"cannot write {job.dir / MANIFEST_FILENAME}: {e.strerror or e}") from e
        result = crawl_job(job, manifest, settings)
        if result.error is not None and _only_bookkeeping(job.dir):
            # The crawl did not start: no job folder left behind with nothing in it but our own notes.
            for path in job.dir.iterdir():
                path.unlink()
            job.dir.rmdir()
        return result
    finally:
        lock.release()


def run_crawler(process: CrawlerProcess, crawler: Crawler, spider_args: Mapping[str, Any],
                what: str) -> tuple[dict[str, Any], list[str]]:
    """Run *crawler* in *process* to its end (a hang-up stops it cleanly): its stats, or none and the errors that
    kept it from starting (logged as "*what* failed to start")."""
    errors: list[str] = []

    def record_failure(failure: Failure) -> None:
        errors.append(f"{failure.type.__name__}: {failure.getErrorMessage()}")
        logger.error("%s failed to start", what, exc_info=(failure.type, failure.value, failure.tb))

    process.crawl(crawler, **spider_args).addErrback(record_failure)
    with stopping_cleanly_on_hangup(process):
        process.start()
    return (crawler.stats.get_stats() if not errors else {}), errors


def crawl_job(job: Job, manifest: JobManifest, settings: Mapping[str, Any],
              crawler_settings: Mapping[str, Any] | None = None) -> CrawlResult:
    """Run the crawl *manifest* describes (its spider and arguments) into the existing folder of *job*, whose lock
    the caller holds, with *settings*; record in the manifest how it ended.

    *crawler_settings* are set on the crawler as they are, objects included (as reprocessing hands its crawlers
    the capture index), over everything else.
    """
    crawl_settings = project_settings({**settings, "ARCHIVE_DIR": str(job.archive_dir), "ARCHIVE_JOB_ID": job.id})
    process = CrawlerProcess(crawl_settings)
    crawler = process.create_crawler(manifest.spider)
    if crawler_settings:
        crawler.settings.setdict(dict(crawler_settings), priority=SETTINGS_PRIORITIES["cmdline"] + 1)
    stats, errors = run_crawler(process, crawler, manifest.arguments, "crawl")
    manifest.status = str(stats.get("finish_reason") or "did not finish")
    manifest.ended_at = datetime.now(timezone.utc).isoformat()
    try:
        manifest.write(job.dir)
    except OSError as e:  # a full disk: the manifest still says "running", which --resume takes as cut short
        logger.error("Cannot record the end of the crawl in %s: %s", job.dir / MANIFEST_FILENAME, e.strerror or e)
    warc_dir = WarcConfig.from_settings(crawl_settings).directory_for(job.dir)
    warc_files = sorted(p for p in warc_dir.iterdir() if p.is_file() and p.name.endswith(WARC_SUFFIXES)) \
        if warc_dir.is_dir() else []
    return CrawlResult(job=job, stats=stats, error=errors[0] if errors else None, warc_dir=warc_dir,
                       warc_files=warc_files)


def _only_bookkeeping(folder: Path) -> bool:
    return all(path.name in (MANIFEST_FILENAME, LOCK_FILENAME) for path in folder.iterdir())

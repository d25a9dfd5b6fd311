"""The job folder a crawl writes into, settled once per crawl and asked for by every component.

``newsarchive crawl`` fixes the job before the crawl starts (``ARCHIVE_JOB_ID``);
under ``scrapy crawl`` the setting is empty and a new job folder
``{UTC date}-{spider}`` is created the first time a component asks. Either way
every component (the feed, the WARC writer, warcinfo records) gets the same
folder from this extension, through ``crawler.get_extension(JobFolder)``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from crawler.domain.layout import Job, create_job

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler


class JobFolder:
    """The crawl's :class:`~crawler.domain.layout.Job`, from ``ARCHIVE_DIR`` and ``ARCHIVE_JOB_ID``.

    The folder is created on first use, not when the crawl is set up, so a
    crawl that is refused before it starts leaves no empty job folder behind.
    """

    def __init__(self, archive_dir: str, job_id: str, spider_name: str):
        self._archive_dir = archive_dir
        self._job_id = job_id
        self._spider_name = spider_name
        self._job: Job | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        return cls(str(settings.get("ARCHIVE_DIR")), str(settings.get("ARCHIVE_JOB_ID") or ""), crawler.spidercls.name)

    @property
    def job(self) -> Job:
        if self._job is None:
            if self._job_id:
                job = Job.named(self._archive_dir, self._job_id)
                job.dir.mkdir(parents=True, exist_ok=True)
            else:
                job = create_job(self._archive_dir, self._spider_name, datetime.now(timezone.utc))
            self._job = job
        return self._job


def job_of(crawler: Crawler) -> Job:
    """The job of *crawler* (its :class:`JobFolder` extension must be enabled)."""
    folder = crawler.get_extension(JobFolder)
    if folder is None:
        raise RuntimeError("the JobFolder extension (crawler.components.jobfolder.JobFolder) is not enabled")
    return folder.job


def feed_uri_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """``FEED_URI_PARAMS`` hook: lets feed URIs say ``%(job_dir)s``."""
    return {**params, "job_dir": str(job_of(spider.crawler).dir)}

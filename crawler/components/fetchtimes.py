"""How long each page of a live crawl took, written beside its JSON Lines as ``fetch-times.jsonl``.

A WARC does not say it: our records carry the time a request was sent
(``WARC-Date``, shared by the request and its response). Scrapy measures
each download (``download_latency``: request sent to response received);
this extension writes that, one line per response (URL, status, seconds,
when), so the crawl report (``newsarchive report``) can list the slowest
pages. ``FETCH_TIMES_ENABLED`` turns it off; nothing is written for a crawl
whose responses carry no latency (reprocessing, which downloads nothing).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from typing import IO, TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.components.jobfolder import job_of

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

FILE_NAME = "fetch-times.jsonl"


class FetchTimes:
    """Appends each response's download time to ``fetch-times.jsonl`` in the job folder; one per crawler."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.file: IO[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FetchTimes:
        if not crawler.settings.getbool("FETCH_TIMES_ENABLED", True):
            raise NotConfigured("FETCH_TIMES_ENABLED is off")
        extension = cls(crawler)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def response_received(self, response: Response, request: Request) -> None:
        latency = request.meta.get("download_latency")
        if latency is None:
            return
        if self.file is None:  # opened on the first timed response: a crawl that downloads nothing writes nothing
            self.file = (job_of(self.crawler).dir / FILE_NAME).open("a", encoding="utf-8", buffering=1)
        row = {"url": response.url, "status": response.status, "seconds": round(float(latency), 6),
               "at": datetime.now(timezone.utc).isoformat()}
        self.file.write(json.dumps(row) + "\n")

    def spider_closed(self) -> None:
        if self.file is not None:
            self.file.close()

"""The download handler of a resumed crawl: what the job archived already comes from its WARC files, the rest live.

A resumed crawl runs its spider again from the start URLs; every page it asks
for that the job's own WARC files hold is answered from them (the record read
back at its offset, the response rebuilt and its provenance recorded exactly
as reprocessing does: :class:`~crawler.reprocess.handler.WarcReplayDownloadHandler`),
so nothing is fetched twice; anything else is downloaded and archived into a
new WARC file of the same job (:class:`~crawler.warc.handler.ArchivingDownloadHandler`).

A capture is used only if the live crawl went on from it: not one answered
with a status that is retried (``RETRY_HTTP_CODES``: the retry may be what
was in flight when the crawl died), not one archived as truncated, and only
one of the job's own files (other files of the archive may be read to find
the payload of a revisit record, never to answer a request).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urldefrag

from crawler.domain.provenance import record_capture
from crawler.reprocess.captures import url_key
from crawler.reprocess.handler import NotInArchive, ReplaySession, WarcReplayDownloadHandler
from crawler.reprocess.replay import NotAnHttpResponse
from crawler.warc.extract import RecordUnreadable
from crawler.warc.handler import ArchivingDownloadHandler

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from crawler.reprocess.captures import Capture

logger = logging.getLogger(__name__)


@dataclass(repr=False)
class ResumeSession(ReplaySession):
    """A replay session over the job's WARC files (numbered first in the index: *own_files*) and any others
    that hold the payloads its revisit records refer to."""

    own_files: frozenset[int] = field(default_factory=frozenset)


class ResumeDownloadHandler(WarcReplayDownloadHandler):
    """Answers from the job's WARC files what they hold, downloads the rest; see the module docstring."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)  # the session comes in REPROCESS_SESSION, as for reprocessing
        self.own_files = self.session.own_files if isinstance(self.session, ResumeSession) else frozenset()
        self.retried = {int(code) for code in crawler.settings.getlist("RETRY_HTTP_CODES")}
        self.live = ArchivingDownloadHandler(crawler)

    async def download_request(self, request: Request) -> Response:
        url = urldefrag(request.url)[0]
        for capture in self._reusable(url, request.method):
            try:
                response, source = self._replay_best(capture, url, request.method)
            except (RecordUnreadable, NotAnHttpResponse, NotInArchive, OSError) as e:
                logger.info("%s: its capture at offset %d of %s cannot be replayed (%s); fetched again", url,
                            capture.offset, self.index.files[capture.file].name, e)
                continue
            if "dataloss" in response.flags:
                continue  # archived as truncated: the live crawl did not go on from it
            record_capture(request, source)
            self.stats.inc_value("resume/from_warc")
            return response
        self.stats.inc_value("resume/fetched")
        return await self.live.download_request(request)

    def _reusable(self, url: str, method: str) -> list[Capture]:
        """The job's captures of exactly *url* (no other spelling of it) the crawl went on from, latest first."""
        captures = self.index.by_url.get(url_key(url), [])
        return [capture for capture in reversed(captures)
                if capture.method == method and capture.file in self.own_files
                and (capture.status is None or capture.status not in self.retried)]

    async def close(self) -> None:
        await self.live.close()

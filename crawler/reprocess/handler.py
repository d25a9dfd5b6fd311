"""The download handler that answers a crawl's requests from WARC files instead of the network.

Installed for ``http`` and ``https`` by reprocessing, it is all that differs
from a live crawl: the spider, its callbacks, page classes and pipelines run
unchanged. For each request it picks a capture from the
:class:`~crawler.reprocess.index.CaptureIndex` (pinned group from
``request.meta``, else the group of the page named by the ``Referer`` if that
page was answered in this run, else the index's policy), reads that one record
at its offset (a revisit's payload from the record it refers to), builds the
response the live handler would have built (:mod:`crawler.reprocess.replay`)
and records the capture's provenance exactly as the live WARC writer did:
WARC-Date, file name, record id, offset and length.

A request the archive cannot answer fails with :class:`NotInArchive`; the
spider's errback turns it into a warning on the article, and the run lists it
(URL, and the page that asked for it).

The index comes with the crawler: its ``REPROCESS_SESSION`` setting holds the
:class:`ReplaySession` object (a reprocessing worker builds it around the index
it inherited); ``REPROCESS_GROUP`` pins every request to one crawl
(``--all-captures``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, TYPE_CHECKING, NamedTuple
from urllib.parse import urldefrag

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.exceptions import NotConfigured

from crawler.domain.provenance import make_source, record_capture
from crawler.reprocess.captures import Capture, ReadProblem, warc_date
from crawler.reprocess.codings import stored_decoded
from crawler.reprocess.notes import CaptureNote
from crawler.reprocess.replay import (
    HttpHead,
    NotAnHttpResponse,
    announced_length,
    build_response,
    decode_payload,
    split_message,
)
from crawler.reprocess.result import Miss
from crawler.warc.extract import RecordBytes, RecordTooBig, RecordUnreadable, read_member, read_record
from crawler.warc.sizes import RECORD_LIMIT
from crawler.warc.writer import OPEN_SUFFIX

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from warcio.statusandheaders import StatusAndHeaders

    from crawler.domain.items import Source
    from crawler.reprocess.index import CaptureIndex

logger = logging.getLogger(__name__)

GROUP_META_KEY = "newsarchive_capture_group"


class RecordAt(NamedTuple):
    """Where the record that answered a request lies (a :class:`~crawler.domain.provenance.RecordLocation`)."""

    filename: str
    record_id: str | None
    offset: int | None
    length: int | None


class NotInArchive(Exception):
    """The archive holds no usable capture for a request."""


class _OriginalMissing(NotInArchive):
    """A revisit's original record is not among the inputs."""


SESSION_SETTING = "REPROCESS_SESSION"


@dataclass(repr=False)
class ReplaySession:
    """What the handlers of one worker share: the index, the capture policy, and what went wrong.

    Handed to each crawler in its ``REPROCESS_SESSION`` setting. Its repr is
    short: Scrapy logs the settings a crawler overrides, and the index is big.
    """

    index: CaptureIndex
    at: datetime | None = None
    misses: list[Miss] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)
    notes: list[CaptureNote] = field(default_factory=list)  # warnings for the lines built from a capture
    on_response: Callable[[], None] | None = None
    record_limit: int | None = RECORD_LIMIT  # a capture whose record is bigger is refused (a miss that says so)

    def __repr__(self) -> str:
        return f"<ReplaySession of {len(self.index.files)} WARC files>"


class WarcReplayDownloadHandler(BaseDownloadHandler):
    """Answers http(s) requests with archived responses; see the module docstring."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        session = crawler.settings.get(SESSION_SETTING)
        if not isinstance(session, ReplaySession):
            raise NotConfigured(f"{SESSION_SETTING} holds no ReplaySession (the capture index to answer from)")
        self.session = session
        self.index = self.session.index
        self.pinned: str | None = crawler.settings.get("REPROCESS_GROUP") or None
        self.stats = crawler.stats
        self.answered: dict[str, str] = {}  # URL of each page answered -> its capture group
        # The last gzip member holding several records: (file, offset) and its data (spooled, see read_member).
        self._member: tuple[tuple[int, int], IO[bytes] | None] | None = None

    async def download_request(self, request: Request) -> Response:
        url = urldefrag(request.url)[0]
        capture = self._choose(request, url)
        if capture is None:
            raise self._miss(request, "not in the archive")
        try:
            response, source = self._replay_best(capture, url, request.method)
        except (RecordUnreadable, NotAnHttpResponse, OSError) as e:
            self.session.problems.append(ReadProblem(self.index.files[capture.file], capture.offset, str(e)))
            self.stats.inc_value("reprocess/unreadable")
            raise self._miss(request, str(e) if isinstance(e, RecordTooBig) else "unreadable in the archive") from e
        except _OriginalMissing as e:
            raise self._miss(request, str(e)) from e
        self.answered[url] = capture.group
        request.meta[GROUP_META_KEY] = capture.group
        record_capture(request, source)
        self.stats.inc_value("reprocess/responses")
        if self.session.on_response is not None:
            self.session.on_response()
        return response

    def _choose(self, request: Request, url: str) -> Capture | None:
        group = self.pinned or request.meta.get(GROUP_META_KEY)
        if group is None:
            referer = request.headers.get(b"Referer")
            group = self.answered.get(referer.decode("latin-1")) if referer else None
        return self.index.choose(url, request.method, group=group, strict=self.pinned is not None,
                                 at=self.session.at)

    def _miss(self, request: Request, reason: str) -> NotInArchive:
        referer = request.headers.get(b"Referer")
        self.session.misses.append(Miss(request.url, referer.decode("latin-1") if referer else None, reason))
        self.stats.inc_value("reprocess/not_in_archive")
        return NotInArchive(reason)

    def _replay_best(self, capture: Capture, url: str, method: str) -> tuple[Response, Source]:
        """The replay of *capture*; if it turns out cut short, that of a whole copy of its record, if there is one."""
        response, source = self._replay(capture, url, method)
        if "dataloss" in response.flags:
            for copy in self.index.other_copies(capture):
                try:
                    other = self._replay(copy, url, method)
                except (RecordUnreadable, NotAnHttpResponse, OSError, _OriginalMissing):
                    continue
                if "dataloss" not in other[0].flags:
                    self.stats.inc_value("reprocess/whole_copy_used")
                    return other
        return response, source

    def _replay(self, capture: Capture, url: str, method: str) -> tuple[Response, Source]:
        record = self._read(capture)
        headers = record.headers
        if capture.kind == "resource":
            head = HttpHead("HTTP/1.1", 200, [(b"Content-Type", (capture.mime or "application/octet-stream").encode())])
            body, flags, length, holder = record.block, [], len(record.block), record
        else:
            head, payload = split_message(record.block)
            holder, payload_head = record, head
            if capture.kind == "revisit":
                holder, payload_head, payload = self._original(capture, headers)
                self.stats.inc_value("reprocess/revisits")
            body, flags = decode_payload(payload_head, payload, method)
            length = announced_length(head, method)
            if coding := stored_decoded(payload_head.get(b"content-encoding"), body):
                head = head.without(b"content-encoding")
                self._note(capture, headers.get_header("WARC-Record-ID"),
                           f"the page was archived already decoded under 'Content-Encoding: {coding}': read as stored")
        # A revisit is truncated by nature; whether the payload is whole is its original's business.
        if holder.headers.get_header("WARC-Truncated") and "dataloss" not in flags:
            flags = ["dataloss"]
        response = build_response(url, head, body, length=length, flags=flags,
                                  ip=headers.get_header("WARC-IP-Address"))
        date = warc_date(headers.get_header("WARC-Date")) or capture.date
        location = RecordAt(
            filename=self.index.files[capture.file].name.removesuffix(OPEN_SUFFIX),
            record_id=headers.get_header("WARC-Record-ID"),
            # A record that shares its gzip member with others cannot be read from an offset of its own.
            offset=capture.offset if capture.length is not None else None,
            length=capture.length,
        )
        return response, make_source(url, head.status, date, location)

    def _note(self, capture: Capture, record_id: str | None, message: str) -> None:
        """A warning for the lines built from *capture* (matched by what their sources say: file, offset, id)."""
        self.stats.inc_value("reprocess/stored_decoded")
        name = self.index.files[capture.file].name.removesuffix(OPEN_SUFFIX)
        self.session.notes.append(CaptureNote(name, capture.offset if capture.length is not None else None,
                                              record_id, message))

    def _original(self, revisit: Capture, headers: StatusAndHeaders) -> tuple[RecordBytes, HttpHead, bytes]:
        """The record holding a revisit's payload, that payload's HTTP head, and the payload."""
        if revisit.refers_to is None and revisit.refers_to_url is None:  # indexed from CDXJ, which omits them
            revisit.refers_to = headers.get_header("WARC-Refers-To")
            revisit.refers_to_url = headers.get_header("WARC-Refers-To-Target-URI")
            revisit.refers_to_date = headers.get_header("WARC-Refers-To-Date")
        original = self.index.original_of(revisit)
        if original is None:
            raise _OriginalMissing("the record this revisit refers to is not in the archive")
        record = self._read(original)
        if original.kind == "resource":
            return record, HttpHead("HTTP/1.1", 200, []), record.block
        head, payload = split_message(record.block)
        return record, head, payload

    def _read(self, capture: Capture) -> RecordBytes:
        path = self.index.files[capture.file]
        limit = self.session.record_limit
        if capture.length is not None:
            return read_record(path, capture.offset, limit=limit)
        key = (capture.file, capture.offset)
        if self._member is None or self._member[0] != key:
            self._close_member()
            self._member = (key, read_member(path, capture.offset))
        return read_record(path, capture.offset, capture.position, member=self._member[1], limit=limit)

    def _close_member(self) -> None:
        if self._member is not None and self._member[1] is not None:
            self._member[1].close()
        self._member = None

    async def close(self) -> None:
        self._close_member()

"""Where and when a page was captured: what every page object is given, and how it travels with a response.

A :class:`Capture` is the provenance of one page: the responses it was
built from (redirect hops first, the page itself last), each a
:class:`~crawler.domain.items.Source` with its capture time and, when it was
archived, where its record lies in a WARC file. Page objects take it as an
input: relative dates count from its time, and the item's ``sources`` and
``fetched_at`` come from it, so a page object reads no clock and no request
state.

The download layer records each response's capture as it produces the
response (:func:`record_capture`: the WARC download handler during a live
crawl, the replay handler during reprocessing, the capture-time middleware for
anything else); spiders read it back with :func:`capture_of` and hand it to
the page object. The record rides on ``request.meta`` under one key,
:data:`CAPTURES_META_KEY`, the way Scrapy's own ``redirect_urls`` does:
redirect hops share one list, because Scrapy copies ``meta`` shallowly into
the follow-up request, so the final response carries its whole chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from crawler.domain.items import Source

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response

CAPTURES_META_KEY = "newsarchive_captures"


class RecordLocation(Protocol):
    """Where an archived response's record lies: what a WARC writer or reader hands back."""

    filename: str
    record_id: str | None
    offset: int | None
    length: int | None


def make_source(url: str, status: int, captured_at: datetime, location: RecordLocation | None = None) -> Source:
    """The :class:`Source` of a response captured at *captured_at*, archived at *location* (if it was)."""
    return Source(
        url=url,
        status=status,
        captured_at=captured_at.isoformat(),
        warc_filename=location.filename if location else None,
        warc_record_id=location.record_id if location else None,
        warc_offset=location.offset if location else None,
        warc_length=location.length if location else None,
    )


@dataclass(frozen=True)
class Capture:
    """The responses a page was built from: the redirect hops that led to it, then the page itself."""

    sources: tuple[Source, ...]

    @classmethod
    def of_page(cls, url: str, status: int, captured_at: datetime) -> Capture:
        """A page fetched without redirects at *captured_at*, not archived (tests, ad-hoc use)."""
        return cls((make_source(url, status, captured_at),))

    @property
    def page(self) -> Source:
        return self.sources[-1]

    @property
    def captured_at(self) -> datetime:
        """When the page itself was captured (its WARC-Date): the "now" of the relative dates on it."""
        return datetime.fromisoformat(self.page.captured_at)

    @property
    def fetched_at(self) -> str:
        """:attr:`captured_at` as the item's ``fetched_at`` string."""
        return self.page.captured_at


class NoCaptureRecorded(LookupError):
    """A response reached a spider without the download layer saying when it was captured."""


def record_capture(request: Request, source: Source) -> None:
    """Append *source* to the captures of *request*'s redirect chain (the download layer calls this)."""
    request.meta.setdefault(CAPTURES_META_KEY, []).append(source)


def latest_source(request: Request) -> Source | None:
    """The capture recorded last for *request*'s redirect chain, if any."""
    captures: list[Source] = request.meta.get(CAPTURES_META_KEY) or []
    return captures[-1] if captures else None


def capture_of(response: Response) -> Capture:
    """The capture of *response*: the redirects that led to it, then itself.

    Failed attempts that were retried are archived but are not sources of the
    data, so they are left out. Raises :class:`NoCaptureRecorded` when the
    download layer recorded nothing for this response.
    """
    captures: list[Source] = response.request.meta.get(CAPTURES_META_KEY, []) if response.request else []
    if not captures or captures[-1].url != response.url:
        raise NoCaptureRecorded(f"no capture recorded for {response.url}")
    *before, last = captures
    return Capture((*(c for c in before if 300 <= c.status < 400), last))


def sources_of_failure(request: Request) -> list[Source]:
    """What was archived on the way to a request that failed: the redirect hops, then the page itself if any of it
    came (a response cut short and archived as truncated, a body that could not be decoded), for errbacks.

    Of several failed attempts (retries), the last one that left a capture stands for the page.
    """
    captures: list[Source] = request.meta.get(CAPTURES_META_KEY, [])
    sources = [capture for capture in captures if 300 <= capture.status < 400]
    page = next((capture for capture in reversed(captures) if not 300 <= capture.status < 400), None)
    if page is not None and page.url == request.url:
        sources.append(page)
    return sources

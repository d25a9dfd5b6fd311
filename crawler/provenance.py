"""How a response tells the spider where it came from: capture time and WARC location.

The download layer (the WARC writer during a live crawl, the WARC replay
handler during reprocessing) calls :func:`record_capture` for every response it
produces. Redirect hops share one list, because Scrapy copies ``meta`` shallowly
into the follow-up request; so the final response carries its whole chain.
Spiders only read, through :func:`sources_for` and :func:`fetched_at`.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from crawler.items import Source

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response

CAPTURES_META_KEY = "newsarchive_captures"


def record_capture(request: Request, source: Source) -> None:
    """Append *source* to the captures of *request*'s redirect chain."""
    request.meta.setdefault(CAPTURES_META_KEY, []).append(source)


def sources_for(response: Response) -> list[Source]:
    """The captures *response* was built from: the redirects that led to it, then itself.

    Failed attempts that were retried are archived but are not sources of the
    data, so they are left out. A response from a download layer that records
    nothing (WARC writing turned off) gets one source with no WARC location,
    stamped with the time it is read.
    """
    captures: list[Source] = response.request.meta.get(CAPTURES_META_KEY, []) if response.request else []
    if not captures or captures[-1].url != response.url:
        return [
            *(c for c in captures if 300 <= c.status < 400),
            Source(url=response.url, status=response.status, captured_at=_now_iso()),
        ]
    *before, last = captures
    return [*(c for c in before if 300 <= c.status < 400), last]


def fetched_at(response: Response) -> datetime:
    """When *response* was captured (its WARC-Date): the ``now`` for relative dates on it."""
    return datetime.fromisoformat(sources_for(response)[-1].captured_at)


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()

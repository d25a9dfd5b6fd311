"""Conditional requests, as nginx and PHP answer them: ``If-None-Match`` first, else ``If-Modified-Since``.

Only pages that carry a validator (story and comment pages once the replica's
clock has been moved, see :mod:`crawler.replica.timeline`) are ever answered
``304 Not Modified``; everything else is sent whole, as before.
"""

from __future__ import annotations

from email.utils import parsedate_to_datetime


def _opaque(tag: str) -> str:
    return tag.strip().removeprefix("W/")


def not_modified(if_none_match: bytes | None, if_modified_since: bytes | None, etag: str | None,
                 last_modified: float | None) -> bool:
    """Whether a GET with these request headers gets ``304`` for a page with these validators (RFC 9110 13.2.2).

    ``If-None-Match`` compares weakly (``W/`` ignored) and, when present, decides
    alone; ``If-Modified-Since`` compares whole seconds; a date that cannot be
    read is ignored, as servers do.
    """
    if if_none_match is not None:
        if etag is None:
            return False
        tags = if_none_match.decode("latin-1")
        return tags.strip() == "*" or any(_opaque(tag) == _opaque(etag) for tag in tags.split(","))
    if if_modified_since is None or last_modified is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since.decode("latin-1"))
    except (TypeError, ValueError, IndexError):
        return False
    return since.tzinfo is not None and int(last_modified) <= since.timestamp()

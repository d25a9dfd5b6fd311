"""Warnings that only the replay side knows, put on the lines they concern as the output is written.

The spider's page classes see a response, not how it was archived. Two
things the archive says reach the line here instead: a capture read in a
fallback way (a body stored decoded under its ``Content-Encoding``, noted by
the replay handler as a :class:`CaptureNote` and matched to every line with
that capture among its sources), and a line that came out with neither
title nor body although its page was an HTML capture answered 2xx: data a reader would
miss, so it is a warning on the line and a count in the run's summary.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
EMPTY_HTML = "neither a title nor any text could be read from this HTML page"

SourceKey = tuple[str | None, int | None, str | None]  # warc_filename, warc_offset, warc_record_id


@dataclass(frozen=True)
class CaptureNote:
    """A warning for every line built from the capture at (file name, offset, record id)."""

    warc_filename: str
    warc_offset: int | None
    warc_record_id: str | None
    message: str

    @property
    def key(self) -> SourceKey:
        return (self.warc_filename, self.warc_offset, self.warc_record_id)


@dataclass
class Annotator:
    """Adds the notes' warnings and the empty-HTML warning to lines; counts the empty ones.

    *media_type_of* gives the media type of the capture a source names (``None``: unknown).
    """

    notes: Iterable[CaptureNote]
    media_type_of: Callable[[SourceKey], str | None]
    empty_html: int = 0
    added: int = 0  # warnings added to lines
    _by_key: dict[SourceKey, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for note in self.notes:
            messages = self._by_key.setdefault(note.key, [])
            if note.message not in messages:
                messages.append(note.message)

    def annotate(self, line: bytes, article: dict) -> bytes:
        """*line* (whose parsed form is *article*) with the warnings it lacks; the same bytes when none."""
        sources = article.get("sources") or []
        added = [message for source in sources for message in self._by_key.get(_key(source), [])]
        if sources and not article.get("title") and not article.get("body"):
            page = sources[-1]  # an error page (404, 503) is accounted for by its own warning
            if 200 <= (page.get("status") or 0) < 300 and self.media_type_of(_key(page)) in HTML_TYPES:
                self.empty_html += 1
                added.append(EMPTY_HTML)
        warnings = article.get("warnings") or []
        added = [message for message in dict.fromkeys(added) if message not in warnings]
        if not added:
            return line
        self.added += len(added)
        article["warnings"] = [*warnings, *added]
        return (json.dumps(article, ensure_ascii=False) + "\n").encode("utf-8")


def _key(source: dict) -> SourceKey:
    return (source.get("warc_filename"), source.get("warc_offset"), source.get("warc_record_id"))

"""The articles a resumed crawl already has: the spider skips them, so no line is written twice.

A crawl resumed with ``newsarchive crawl … --resume JOB_DIR`` runs its spider
again from the start URLs; the lines its job's ``items.jsonl`` already holds
are given to the spider in the ``RESUME_DONE`` setting, as a
:class:`DoneArticles` (``--resume`` builds it while it checks the file) or the
path of a JSON Lines file of earlier lines (``scrapy crawl -s
RESUME_DONE=items.jsonl``). Spiders skip an article by its id (``site:id``)
when they know it before fetching, else by the URL it was requested as.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SETTING = "RESUME_DONE"


class DoneArticlesError(ValueError):
    """``RESUME_DONE`` holds neither a :class:`DoneArticles` nor a readable JSON Lines file."""


@dataclass(frozen=True)
class DoneArticles:
    """Ids of the articles written already, and every URL they were requested or found at."""

    ids: frozenset[str] = frozenset()
    urls: frozenset[str] = frozenset()

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:  # Scrapy logs the settings it is given; these can be many
        return f"<DoneArticles: {len(self.ids)} articles>"

    def has(self, article_id: str | None = None, url: str | None = None) -> bool:
        return (article_id is not None and article_id in self.ids) or (url is not None and url in self.urls)

    @classmethod
    def from_lines(cls, lines: Iterable[Mapping[str, Any]]) -> DoneArticles:
        ids: set[str] = set()
        urls: set[str] = set()
        for line in lines:
            if line.get("id"):
                ids.add(str(line["id"]))
            urls.update(str(url) for url in (line.get("url"), *(source.get("url") for source in
                                                               (line.get("sources") or [])[:1])) if url)
        return cls(frozenset(ids), frozenset(urls))


def done_articles(value: Any) -> DoneArticles:
    """What ``RESUME_DONE`` holds, as :class:`DoneArticles` (nothing done when it is empty)."""
    if not value:
        return DoneArticles()
    if isinstance(value, DoneArticles):
        return value
    if not isinstance(value, (str, Path)):
        raise DoneArticlesError(f"setting {SETTING} must be the path of a JSON Lines file, got {type(value).__name__}")
    try:
        with Path(value).open(encoding="utf-8") as lines:
            return DoneArticles.from_lines(json.loads(line) for line in lines if line.endswith("\n"))
    except OSError as e:
        raise DoneArticlesError(f"setting {SETTING}: cannot read {value}: {e.strerror or e}") from e
    except ValueError as e:
        raise DoneArticlesError(f"setting {SETTING}: {value} is not JSON Lines: {e}") from e

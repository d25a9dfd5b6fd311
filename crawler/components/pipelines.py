"""Item pipelines shared by every spider."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from crawler.domain.items import MISSING_LABELS, missing_warning

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ArticleStatsPipeline:
    """Counts articles, comments and warnings into the crawl stats.

    The final stats, and the exit summary built from them, are how a user
    learns how much came out and how much of it was only partly readable.
    Each item warning is also logged once, with the article URL.
    """

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        warnings = adapter.get("warnings") or []
        self.stats.inc_value("newsarchive/articles")
        self.stats.inc_value("newsarchive/comments", len(adapter.get("comments") or []))
        if warnings:
            self.stats.inc_value("newsarchive/articles_with_warnings")
            self.stats.inc_value("newsarchive/warnings", len(warnings))
            for warning in warnings:
                logger.warning("%s: %s", adapter.get("url"), warning)
        return item


class MarkupDriftPipeline:
    """Notices when a site's markup changed under the profile: many articles missing the same field.

    Each article lists the fields its page did not give (``missing``: title,
    author, publication date, body, comment dates, comment scores), with a
    warning naming the selectors tried. One such article is a broken page; most
    articles of a crawl missing the same field means the theme changed and the
    profile reads nothing of it. This pipeline counts ``newsarchive/missing/<field>``
    and, when the crawl closes with more than ``MARKUP_DRIFT_THRESHOLD`` of at
    least ``MARKUP_DRIFT_MIN_ARTICLES`` articles missing one field, logs an
    error saying so in one line (so the run exits 1) and keeps that line in
    the ``newsarchive/markup_changed`` stat for the summary. Articles whose page
    could not be fetched do not count: they say nothing about the markup.
    """

    def __init__(self, crawler: Crawler, threshold: float, min_articles: int):
        self.stats = crawler.stats
        self.threshold = threshold
        self.min_articles = min_articles
        self.examples: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        try:
            threshold = settings.getfloat("MARKUP_DRIFT_THRESHOLD")
            min_articles = settings.getint("MARKUP_DRIFT_MIN_ARTICLES")
        except ValueError as e:
            raise NotConfigured(f"MARKUP_DRIFT_THRESHOLD and MARKUP_DRIFT_MIN_ARTICLES must be numbers: {e}") from e
        if not 0 < threshold <= 1:
            raise NotConfigured(f"MARKUP_DRIFT_THRESHOLD must be above 0 and at most 1, got {threshold}")
        return cls(crawler, threshold, min_articles)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        missing = adapter.get("missing") or []
        read = missing or any(adapter.get(name) for name in ("title", "body", "published_at"))
        if not read:
            return item
        self.stats.inc_value("newsarchive/articles_read")
        if any(not comment_field(comment, "deleted") for comment in adapter.get("comments") or []):
            self.stats.inc_value("newsarchive/articles_with_comments")
        for field in missing:
            self.stats.inc_value(f"newsarchive/missing/{field}")
            if field not in self.examples:
                prefix = missing_warning(field)
                self.examples[field] = next((w for w in adapter.get("warnings") or [] if prefix in w), prefix)
        return item

    def close_spider(self) -> None:
        messages = markup_drift(self.stats.get_stats(), self.threshold, self.min_articles, self.examples)
        for message in messages:
            logger.error("%s", message)
        if messages:
            self.stats.set_value("newsarchive/markup_changed", messages)


def comment_field(comment: Any, name: str) -> Any:
    """A field of a comment item, whether it is a dataclass or a dict."""
    return comment.get(name) if isinstance(comment, dict) else getattr(comment, name, None)


def markup_drift(stats: dict[str, Any], threshold: float, min_articles: int, examples: dict[str, str]) -> list[str]:
    """One line per field that more than *threshold* of the articles read (at least *min_articles*) lack."""
    messages = []
    for field in MISSING_LABELS:
        base = stats.get("newsarchive/articles_with_comments" if field.startswith("comments.")
                         else "newsarchive/articles_read", 0)
        count = stats.get(f"newsarchive/missing/{field}", 0)
        if base >= min_articles and count > threshold * base:
            example = examples.get(field, missing_warning(field))
            messages.append(f"the site's markup changed? {count} of {base} articles had no {MISSING_LABELS[field]}: "
                            f"{example}")
    return messages

"""Item pipelines shared by every spider."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem, NotConfigured

from crawler.components.feedstorage import WRITE_FAILED_STAT
from crawler.domain.items import MISSING_LABELS, missing_warning

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# Counted by the WARC archive (crawler.warc.extension) when a write fails.
ARCHIVE_FAILED_STAT = "warc/write_errors"


class ArchivedArticlesOnly:
    """Writes no article once the WARC archive has failed: a line must never stand for pages that are not archived.

    When a WARC write fails the crawl stops, but the pages still in flight
    come back first, unarchived; an article waiting for one of them would get
    a line saying the page "could not be fetched", and a resumed crawl, which
    skips the articles it has lines for, would never complete it. So from the
    first failed write on, articles are dropped (counted in
    ``newsarchive/articles_not_written``, said once): ``newsarchive crawl
    --resume`` rebuilds them from what was archived and fetches the rest.
    """

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats
        self.said = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not self.stats.get_value(ARCHIVE_FAILED_STAT):
            return item
        self.stats.inc_value("newsarchive/articles_not_written")
        if not self.said:
            self.said = True
            logger.warning("The WARC archive failed: the articles still in progress are not written (a resumed "
                           "crawl completes them)")
        raise DropItem(f"not written, the WARC archive failed: {ItemAdapter(item).get('url')}", log_level="DEBUG")


class ArticleStatsPipeline:
    """Counts articles, comments and warnings into the crawl stats, as exported.

    The final stats, and the exit summary built from them, are how a user
    learns how much came out and how much of it was only partly readable, so
    an article counts once its line is written: when the item has been
    scraped (the feed exporter writes it first, having connected to the signal
    first) and no feed write has failed (a failed write is cut back off the
    file, and nothing is written after it: see
    :mod:`crawler.components.feedstorage`). Each item warning is logged once,
    with the article URL, as the item passes.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def open_spider(self) -> None:
        # Connected now, after every extension (the feed exporter among them): called after it for each item.
        self.crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        for warning in adapter.get("warnings") or []:
            logger.warning("%s: %s", adapter.get("url"), warning)
        return item

    def item_scraped(self, item: Any) -> None:
        if self.stats.get_value(WRITE_FAILED_STAT):
            self.stats.inc_value("newsarchive/articles_not_written")
            return
        adapter = ItemAdapter(item)
        warnings = adapter.get("warnings") or []
        self.stats.inc_value("newsarchive/articles")
        self.stats.inc_value("newsarchive/comments", len(adapter.get("comments") or []))
        if warnings:
            self.stats.inc_value("newsarchive/articles_with_warnings")
            self.stats.inc_value("newsarchive/warnings", len(warnings))


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
    A spider may narrow the fields this holds it to (``markup_drift_fields``):
    one with no site profile expects no date or author of an arbitrary page.
    """

    def __init__(self, crawler: Crawler, threshold: float, min_articles: int):
        self.crawler = crawler
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
        fields = getattr(self.crawler.spider, "markup_drift_fields", None)
        messages = markup_drift(self.stats.get_stats(), self.threshold, self.min_articles, self.examples, fields)
        for message in messages:
            logger.error("%s", message)
        if messages:
            self.stats.set_value("newsarchive/markup_changed", messages)


def comment_field(comment: Any, name: str) -> Any:
    """A field of a comment item, whether it is a dataclass or a dict."""
    return comment.get(name) if isinstance(comment, dict) else getattr(comment, name, None)


def markup_drift(stats: dict[str, Any], threshold: float, min_articles: int, examples: dict[str, str],
                 fields: Iterable[str] | None = None) -> list[str]:
    """One line per field (of *fields*, by default all) that more than *threshold* of the articles read
    (at least *min_articles*) lack."""
    messages = []
    for field in MISSING_LABELS if fields is None else fields:
        base = stats.get("newsarchive/articles_with_comments" if field.startswith("comments.")
                         else "newsarchive/articles_read", 0)
        count = stats.get(f"newsarchive/missing/{field}", 0)
        if base >= min_articles and count > threshold * base:
            example = examples.get(field, missing_warning(field))
            messages.append(f"the site's markup changed? {count} of {base} articles had no {MISSING_LABELS[field]}: "
                            f"{example}")
    return messages

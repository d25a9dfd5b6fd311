"""Item pipelines shared by every spider."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

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

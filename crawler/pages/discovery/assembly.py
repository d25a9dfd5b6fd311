"""One article's line put together from its page and its comment pages.

The article page's item comes from the generic page class; each comment page
adds its comments and its sources. When all requested pages have answered
(or failed), :meth:`ArticleAssembly.finish` orders the comments by page
number (the article's own page at its place, see
:mod:`crawler.pages.discovery.comment_pages`), drops a comment a second page
repeats (same id and text), and says in a warning what is missing: a comment
page that could not be fetched, or fewer comments than the page declares.
"""

from __future__ import annotations

from crawler.domain.items import Article, Comment, Source
from crawler.pages.discovery.comment_pages import article_page_number


class ArticleAssembly:
    """The article page's item, plus what its comment pages have brought so far."""

    def __init__(self, article: Article, links: dict[int, str]):
        self.article = article
        self.links: dict[int, str] = dict(links)
        self.requested: set[int] = set()
        self.answered: set[int] = set()
        self._comments: dict[int, list[Comment]] = {}
        self._sources: dict[int, list[Source]] = {}
        self._warnings: dict[int, list[str]] = {}

    def to_request(self) -> list[tuple[int, str]]:
        """Comment pages linked and not yet asked for; each is marked as asked for."""
        new = sorted((number, url) for number, url in self.links.items() if number not in self.requested)
        self.requested.update(number for number, _ in new)
        return new

    def add_page(self, number: int, page: Article, links: dict[int, str]) -> None:
        """The comments, sources and new warnings a comment page's item brings; the further pages it links."""
        self.answered.add(number)
        self._comments[number] = page.comments
        self._sources[number] = page.sources
        own = set(self.article.warnings)
        self._warnings[number] = [f"comment page {number}: {warning}" for warning in page.warnings
                                  if warning not in own]
        for linked, url in links.items():
            self.links.setdefault(linked, url)

    def fail_page(self, number: int, reason: str, sources: list[Source]) -> None:
        self.answered.add(number)
        self._sources[number] = sources
        self._warnings[number] = [f"comment page {number} could not be fetched: {reason}"]

    @property
    def done(self) -> bool:
        return self.requested <= self.answered and not set(self.links) - self.requested

    def finish(self) -> Article:
        article = self.article
        if not self.links:
            return _checked_count(article)
        own = article_page_number(self.links)
        by_page = {**self._comments, own: article.comments}
        sources = list(article.sources)
        warnings = list(article.warnings)
        for number in sorted(set(self._sources) | set(self._warnings)):
            sources += self._sources.get(number, [])
            warnings += self._warnings.get(number, [])
        article.comments = _merged(by_page)
        article.sources = sources
        article.warnings = warnings
        return _checked_count(article)


def _merged(by_page: dict[int, list[Comment]]) -> list[Comment]:
    merged: list[Comment] = []
    seen: dict[str, str | None] = {}
    for number in sorted(by_page):
        renamed: dict[str, str] = {}
        for comment in by_page[number]:
            if comment.id in seen:
                if seen[comment.id] == comment.text:
                    continue  # the same comment on two pages (a page linked under two numbers)
                new_id = f"{comment.id}-p{number}"  # another comment under a positional id such as c3
                renamed[comment.id] = new_id
                comment.id = new_id
            if comment.parent_id in renamed:
                comment.parent_id = renamed[comment.parent_id]
            seen[comment.id] = comment.text
            merged.append(comment)
    return merged


def _checked_count(article: Article) -> Article:
    declared = article.comment_count_declared
    if declared is not None and declared != len(article.comments):
        warning = f"the page declares {declared} comments but {len(article.comments)} were read"
        if warning not in article.warnings:
            article.warnings.append(warning)
    return article

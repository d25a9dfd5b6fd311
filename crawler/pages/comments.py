"""Reading a threaded comment list (DLE tree comments) into flat, parent-linked comments."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from lxml import etree, html

from crawler.items import Comment
from crawler.normalize import clean_text, parse_score, parse_timestamp
from crawler.pages.html import element_text, node_text
from crawler.profiles import SiteProfile

Placed = tuple[html.HtmlElement, "str | None", int]


class CommentTreeReader:
    """Walks nested comment lists in page order, giving each comment its parent and depth.

    Every selector is an XPath from the profile, compiled once here. The field
    selectors (author, date, score, text, quotes…) are relative to one comment,
    but each is evaluated once per page, over the whole list, and every match
    is then given to the comment that holds it: a page holds up to hundreds of
    comments, and one XPath evaluation per field per comment would dominate the
    parse. Depth 0 is a top-level comment; a reply's ``parent_id`` is the
    comment whose list item holds it. A list without tree markup is read flat
    (all depth 0).
    """

    def __init__(self, profile: SiteProfile):
        selectors = profile.comments
        self.tz = profile.tzinfo
        self.languages = profile.languages
        self._lists = etree.XPath(selectors.list)
        self._threads = etree.XPath(selectors.thread)
        self._replies = etree.XPath(selectors.replies)
        self._comment = etree.XPath(selectors.comment)
        self._any_comment = etree.XPath(".//" + selectors.comment)
        self._id = re.compile(selectors.id_pattern)
        self._fields = {name: etree.XPath(getattr(selectors, name)) for name in ("author", "date", "score", "text")}
        self._quotes = etree.XPath(selectors.quote)
        self._quote_drop = etree.XPath(selectors.quote_drop)
        self._smileys = etree.XPath(selectors.smiley)
        self._deleted = etree.XPath(selectors.deleted)

    def read(self, container: html.HtmlElement, *, now: datetime) -> tuple[list[Comment], list[str]]:
        """All comments under *container* in page order, and warnings about unreadable parts."""
        warnings: list[str] = []
        lists = self._lists(container)
        if lists:
            placed = [found for tree in lists for found in self._walk(tree, None, 0, warnings)]
        else:
            placed = [(node, None, 0) for node in self._any_comment(container)]
        page = _PageFields(self, container, [node for node, _, _ in placed])
        comments = [self._comment_from(index, node, parent, depth, page, now, warnings)
                    for index, (node, parent, depth) in enumerate(placed)]
        return [c for c in comments if c is not None], warnings

    def _walk(self, tree: html.HtmlElement, parent_id: str | None, depth: int,
              warnings: list[str]) -> Iterator[Placed]:
        for thread in self._threads(tree):
            nodes = self._comment(thread)
            if not nodes:
                warnings.append(f"a comment list item holds no comment (reply to {parent_id or 'the article'})")
                continue
            comment_id = self._comment_id(nodes[0])
            yield nodes[0], parent_id, depth
            for replies in self._replies(thread):
                yield from self._walk(replies, comment_id, depth + 1, warnings)

    def _comment_id(self, node: html.HtmlElement) -> str | None:
        match = self._id.search(node.get("id", ""))
        return match.group(1) if match else None

    def _comment_from(self, index: int, node: html.HtmlElement, parent_id: str | None, depth: int,
                      page: _PageFields, now: datetime, warnings: list[str]) -> Comment | None:
        comment_id = self._comment_id(node)
        if comment_id is None:
            warnings.append(f"a comment has no readable id ({node.get('id')!r})")
            return None
        deleted = index in page.deleted
        date_raw = node_text(page.first["date"][index]) or None
        posted = parse_timestamp(date_raw, tz=self.tz, now=now, languages=self.languages)
        if posted is None:
            problem = f"unreadable date {date_raw!r}" if date_raw else "no date"
            warnings.append(f"comment {comment_id}: {problem}")
        text, quotes = (None, []) if deleted else page.text_and_quotes(index)
        return Comment(
            id=comment_id,
            parent_id=parent_id,
            depth=depth,
            author=node_text(page.first["author"][index]) or None,
            posted_at=posted.isoformat() if posted else None,
            posted_at_raw=date_raw,
            score=parse_score(node_text(page.first["score"][index])),
            text=text,
            quotes=quotes,
            deleted=deleted,
        )


class _PageFields:
    """The field nodes of every comment of one page, found with one XPath evaluation per field."""

    def __init__(self, reader: CommentTreeReader, container: html.HtmlElement, comments: list[html.HtmlElement]):
        owner_of = {node: index for index, node in enumerate(comments)}
        self.first: dict[str, list[html.HtmlElement | None]] = {}
        for name, xpath in reader._fields.items():
            found: list[html.HtmlElement | None] = [None] * len(comments)
            for element in xpath(container):
                owner = _nearest(element, owner_of)
                if owner is not None and found[owner] is None:
                    found[owner] = element
            self.first[name] = found
        self.deleted = {owner for element in reader._deleted(container)
                        if (owner := _nearest(element, owner_of, include_self=True)) is not None}
        texts = {node: index for index, node in enumerate(self.first["text"]) if node is not None}
        self.dropped = set(reader._quote_drop(container))
        self.smileys = set(reader._smileys(container))
        self.quotes: dict[int, list[html.HtmlElement]] = {}
        all_quotes = reader._quotes(container)
        quote_set = set(all_quotes)
        for quote in all_quotes:
            owner = _nearest(quote, texts)
            # Skip quotes outside any comment text, inside a dropped header, or inside an outer quote.
            if owner is None or any(a in self.dropped or a in quote_set
                                    for a in _up_to(quote, self.first["text"][owner])):
                continue
            self.quotes.setdefault(owner, []).append(quote)

    def text_and_quotes(self, index: int) -> tuple[str | None, list[str]]:
        node = self.first["text"][index]
        if node is None:
            return None, []
        quotes = self.quotes.get(index, [])
        quote_texts = [text for quote in quotes
                       if (text := clean_text(element_text(quote, skip=self.dropped.__contains__,
                                                           image_text=self._smiley)))]
        skip = self.dropped.union(quotes)
        return clean_text(element_text(node, skip=skip.__contains__, image_text=self._smiley)), quote_texts

    def _smiley(self, img: html.HtmlElement) -> str | None:
        alt = (img.get("alt") or "").strip()
        return f":{alt}:" if img in self.smileys and alt else None


def _nearest(element: html.HtmlElement, owners: dict[html.HtmlElement, int], *,
             include_self: bool = False) -> int | None:
    """Index of the closest ancestor of *element* (or itself) among *owners*."""
    if include_self and element in owners:
        return owners[element]
    for ancestor in element.iterancestors():
        if ancestor in owners:
            return owners[ancestor]
    return None


def _up_to(element: html.HtmlElement, stop: html.HtmlElement | None) -> Iterator[html.HtmlElement]:
    """Ancestors of *element* below *stop*."""
    for ancestor in element.iterancestors():
        if ancestor is stop:
            return
        yield ancestor

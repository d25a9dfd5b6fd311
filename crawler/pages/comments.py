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


class CommentTreeReader:
    """Walks nested comment lists in page order, giving each comment its parent and depth.

    Every selector is an XPath from the profile, compiled once here: a page
    can hold hundreds of comments, and per-comment selector compilation
    would dominate the parse. Depth 0 is a top-level comment; a reply's
    ``parent_id`` is the comment whose list item holds it. A list without
    tree markup is read flat (all depth 0).
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
        self._author = etree.XPath(f"({selectors.author})[1]")
        self._date = etree.XPath(f"({selectors.date})[1]")
        self._score = etree.XPath(f"({selectors.score})[1]")
        self._text = etree.XPath(f"({selectors.text})[1]")
        self._quotes = etree.XPath(selectors.quote)
        self._quote_drop = etree.XPath(selectors.quote_drop)
        self._smileys = etree.XPath(selectors.smiley)
        self._deleted = etree.XPath(f"boolean({selectors.deleted})")

    def read(self, container: html.HtmlElement, *, now: datetime) -> tuple[list[Comment], list[str]]:
        """All comments under *container* in page order, and warnings about unreadable parts."""
        warnings: list[str] = []
        lists = self._lists(container)
        if lists:
            nodes = (found for tree in lists for found in self._walk(tree, None, 0, warnings))
        else:
            nodes = ((node, None, 0) for node in self._any_comment(container))
        comments = [self._comment_from(node, parent, depth, now, warnings) for node, parent, depth in nodes]
        return [c for c in comments if c is not None], warnings

    def _walk(self, tree: html.HtmlElement, parent_id: str | None, depth: int,
              warnings: list[str]) -> Iterator[tuple[html.HtmlElement, str | None, int]]:
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

    def _comment_from(self, node: html.HtmlElement, parent_id: str | None, depth: int,
                      now: datetime, warnings: list[str]) -> Comment | None:
        comment_id = self._comment_id(node)
        if comment_id is None:
            warnings.append(f"a comment has no readable id ({node.get('id')!r})")
            return None
        deleted = bool(self._deleted(node))
        date_raw = _first_text(self._date(node)) or None
        posted = parse_timestamp(date_raw, tz=self.tz, now=now, languages=self.languages)
        if posted is None:
            problem = f"unreadable date {date_raw!r}" if date_raw else "no date"
            warnings.append(f"comment {comment_id}: {problem}")
        text, quotes = self._text_and_quotes(self._text(node))
        return Comment(
            id=comment_id,
            parent_id=parent_id,
            depth=depth,
            author=_first_text(self._author(node)) or None,
            posted_at=posted.isoformat() if posted else None,
            posted_at_raw=date_raw,
            score=parse_score(_first_text(self._score(node))),
            text=None if deleted else text,
            quotes=[] if deleted else quotes,
            deleted=deleted,
        )

    def _text_and_quotes(self, found: list[html.HtmlElement]) -> tuple[str | None, list[str]]:
        if not found:
            return None, []
        node = found[0]
        dropped = set(self._quote_drop(node))
        quote_nodes = [q for q in self._quotes(node) if not any(a in dropped for a in q.iterancestors())]
        outermost = [q for q in quote_nodes if not any(a in quote_nodes for a in q.iterancestors())]
        smileys = set(self._smileys(node))

        def smiley(img: html.HtmlElement) -> str | None:
            alt = (img.get("alt") or "").strip()
            return f":{alt}:" if img in smileys and alt else None

        def quote_text(quote: html.HtmlElement) -> str | None:
            return clean_text(element_text(quote, skip=dropped.__contains__, image_text=smiley))

        quotes = [text for q in outermost if (text := quote_text(q))]
        skip = dropped | set(outermost)
        return clean_text(element_text(node, skip=skip.__contains__, image_text=smiley)), quotes


def _first_text(found: list[html.HtmlElement]) -> str:
    return node_text(found[0]) if found else ""

"""Reading a threaded comment list (DLE tree comments) into flat, parent-linked comments."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from crawler.domain.items import Comment
from crawler.domain.text import clean_text, parse_score
from crawler.markup.text import element_text, node_text
from crawler.profiles import SiteProfile
from crawler.profiles.model import COMMENT_FIELDS

Placed = tuple[etree._Element, "str | None", int]
# A theme that drifted shows comments without the fields the profile expects: reported under these names
# when no comment on a page has one.
_REPORTED_AS = {"date": "posted_at", "score": "score"}


@dataclass
class CommentsRead:
    """The comments under a container, what could not be read, and the fields no comment had
    (``comments.posted_at``, ``comments.score``: a sign that the theme changed), with the selectors tried."""

    comments: list[Comment]
    warnings: list[str]
    missing: dict[str, str] = field(default_factory=dict)
    # Per field, how many comments had it from each selector (what ``newsarchive profile check`` shows).
    sources: dict[str, Counter[str]] = field(default_factory=dict)


class CommentTreeReader:
    """Walks nested comment lists in page order, giving each comment its parent and depth.

    The profile's comment selectors test one element each (see
    :class:`~crawler.markup.selectors.ElementSelector`); the tree is read by
    position: ``list`` among the container's children, ``thread`` among a
    list's children, then a thread's first ``comment`` child and its
    ``replies`` lists. Each comment's subtree is walked once, every element
    tested against the field selectors by its name; an element belongs to the
    closest comment that holds it, so a nested comment's fields are its own.
    Depth 0 is a top-level comment; a reply's ``parent_id`` is the comment
    whose list item holds it. A list without tree markup is read flat (every
    comment under the container, all depth 0).
    """

    def __init__(self, profile: SiteProfile):
        selectors = profile.comments
        self.timestamps = profile.timestamps
        self._list = selectors.list
        self._thread = selectors.thread
        self._replies = selectors.replies
        self._comment = selectors.comment
        self._id = selectors.id_pattern
        self._inside = selectors.inside
        self._css = selectors.css
        self._tried = selectors.tried
        self._quote = selectors.quote
        self._quote_drop = selectors.quote_drop
        self._smiley = selectors.smiley
        self._expected = selectors.expect

    def read(self, container: etree._Element, *, now: datetime) -> CommentsRead:
        """All comments under *container* in page order, warnings about unreadable parts, and missing fields."""
        warnings: list[str] = []
        lists = [child for child in container if self._list(child)]
        if lists:
            placed = [found for tree in lists for found in self._walk(tree, None, 0, warnings)]
        else:
            placed = [(node, None, 0) for node in container.iterdescendants() if self._comment(node)]
        owners = {node: index for index, (node, _, _) in enumerate(placed)}
        found = [self._fields_of(node, owners) for node in owners]
        texts = {fields.first["text"]: index for index, fields in enumerate(found) if "text" in fields.first}
        comments = [self._comment_from(node, parent, depth, fields, texts, now, warnings)
                    for (node, parent, depth), fields in zip(placed, found)]
        sources = {name: Counter(self._css[name][fields.ranks[name]] for fields in found if name in fields.ranks)
                   for name in COMMENT_FIELDS}
        return CommentsRead([c for c in comments if c is not None], warnings, self._missing(found), sources)

    def _missing(self, found: list[_Fields]) -> dict[str, str]:
        """The expected fields that no comment (deleted ones aside) had, each with the selectors tried."""
        shown = [fields for fields in found if not fields.deleted]
        missing = {}
        for name in self._expected:
            alternatives = ("score", "likes", "dislikes") if name == "score" else (name,)
            if shown and not any(other in fields.first for fields in shown for other in alternatives):
                missing[f"comments.{_REPORTED_AS[name]}"] = ", ".join(self._tried[other] for other in alternatives)
        return missing

    def _walk(self, tree: etree._Element, parent_id: str | None, depth: int,
              warnings: list[str]) -> Iterator[Placed]:
        for thread in tree:
            if not self._thread(thread):
                continue
            children = list(thread)
            node = next((child for child in children if self._comment(child)), None)
            if node is None:
                warnings.append(f"a comment list item holds no comment (reply to {parent_id or 'the article'})")
                continue
            comment_id = self._comment_id(node)
            yield node, parent_id, depth
            for replies in children:
                if self._replies(replies):
                    yield from self._walk(replies, comment_id, depth + 1, warnings)

    def _comment_id(self, node: etree._Element) -> str | None:
        match = self._id.search(node.get("id", ""))
        return match.group(1) if match else None

    def _fields_of(self, node: etree._Element, owners: dict[etree._Element, int]) -> _Fields:
        """The first match of each field inside *node*, and whether it is marked deleted (itself included)."""
        fields = _Fields(deleted=self._inside.matches("deleted", node))
        first, ranks = fields.first, fields.ranks
        nested: set[etree._Element] = set()  # inside a comment nested in this one: that comment's
        by_tag, any_tag = self._inside.by_tag, self._inside.any_tag
        for element in node.iterdescendants():
            if nested and element in nested:
                continue
            tag = element.tag
            for name, ranked in by_tag.get(tag, any_tag) if tag.__class__ is str else ():
                if name == "deleted":
                    if not fields.deleted and element not in owners:
                        for _, test in ranked:
                            if test(element):
                                fields.deleted = True
                                break
                    continue
                best = ranks.get(name)
                if best == 0:
                    continue  # the most trusted selector has found it already
                for rank, test in ranked:
                    if best is not None and rank >= best:
                        break
                    if test(element):
                        # The most trusted selector wins; among its matches, the first in page order.
                        first[name], ranks[name] = element, rank
                        break
            if element in owners:
                nested.update(element.iterdescendants())
        return fields

    def _comment_from(self, node: etree._Element, parent_id: str | None, depth: int, fields: _Fields,
                      texts: dict[etree._Element, int], now: datetime, warnings: list[str]) -> Comment | None:
        comment_id = self._comment_id(node)
        if comment_id is None:
            warnings.append(f"a comment has no readable id ({node.get('id')!r})")
            return None
        first = fields.first
        date_raw = node_text(first.get("date")) or None
        posted = self.timestamps.read(date_raw, now=now)
        if posted is None:
            problem = f"unreadable date {date_raw!r}" if date_raw else "no date"
            warnings.append(f"comment {comment_id}: {problem}")
        text, quotes = (None, []) if fields.deleted else self._text_and_quotes(first.get("text"), texts)
        likes, dislikes = parse_score(node_text(first.get("likes"))), parse_score(node_text(first.get("dislikes")))
        # DLE's likes/dislikes layout shows no score of its own (its counters may sit in rating-class spans).
        if likes is not None or dislikes is not None:
            score = (likes or 0) - (dislikes or 0)
        else:
            score = parse_score(node_text(first.get("score")))
        return Comment(
            id=comment_id,
            parent_id=parent_id,
            depth=depth,
            author=node_text(first.get("author")) or None,
            posted_at=posted.iso if posted else None,
            posted_at_raw=date_raw,
            score=score,
            likes=likes,
            dislikes=dislikes,
            text=text,
            quotes=quotes,
            deleted=fields.deleted,
        )

    def _text_and_quotes(self, node: etree._Element | None,
                         texts: dict[etree._Element, int]) -> tuple[str | None, list[str]]:
        if node is None:
            return None, []
        quotes = list(self._quotes_in(node, texts))
        quote_texts = [text for quote in quotes
                       if (text := clean_text(element_text(quote, skip=self._quote_drop, image_text=self._smiley_text)))]
        own = set(quotes)

        def skip(element: etree._Element) -> bool:
            return element in own or self._quote_drop(element)

        return clean_text(element_text(node, skip=skip, image_text=self._smiley_text)), quote_texts

    def _quotes_in(self, node: etree._Element, texts: dict[etree._Element, int]) -> Iterator[etree._Element]:
        """The quotes of comment text *node*, in page order: not inside another quote, a dropped
        quote header, or another comment's text (those quotes are that comment's)."""
        for child in node:
            if self._quote(child):
                yield child
            elif not (self._quote_drop(child) or child in texts):
                yield from self._quotes_in(child, texts)

    def _smiley_text(self, img: etree._Element) -> str | None:
        alt = (img.get("alt") or "").strip()
        return f":{alt}:" if alt and self._smiley(img) else None


@dataclass
class _Fields:
    """What one comment's own subtree holds: the element each field was read from (and the rank of the
    selector that found it: 0 is the most trusted), and the deleted mark."""

    deleted: bool
    first: dict[str, etree._Element] = field(default_factory=dict)
    ranks: dict[str, int] = field(default_factory=dict)

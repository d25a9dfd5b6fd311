"""Reader comments found in a page's own markup or JSON-LD, without knowing the site.

Markup: :mod:`crawler.pages.comment_structure` finds each comment's element
(typed markup, the comment vocabulary in several languages, or repeated
siblings with an author, a time and text), :mod:`crawler.pages.comment_fields`
reads its fields. JSON-LD: ``Comment`` nodes under the article's ``comment``
(and their own ``comment`` replies), or standing alone. When both are there,
the one with more comments wins (JSON-LD on a tie: it states author and
time outright). Comments that a script loads after the page (Disqus as
embedded, most big publishers) are not in the HTML and cannot be found here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

from crawler.domain.items import Comment
from crawler.markup.text import PARAGRAPH_BREAK
from crawler.pages.comment_fields import read_fields
from crawler.pages.comment_structure import find_comments
from crawler.pages.jsonld import node_types
from crawler.pages.metadata import clean

_MAX_JSONLD_DEPTH = 12


@dataclass
class PageComments:
    """The page's comments, and the elements of its comment sections (to keep out of the article text)."""

    comments: list[Comment]
    sections: list[etree._Element]


def page_comments(root: etree._Element, article: dict[str, Any], nodes: list[dict[str, Any]]) -> PageComments:
    """Every comment the page holds, in page order, with threads as ``parent_id`` and ``depth``.

    Times are left raw (``posted_at_raw``): reading them needs the page's offset, known later.
    """
    markup = find_comments(root)
    nested = {found.item for found in markup.comments}
    from_markup: list[Comment] = []
    typed: set[int] = set()  # positions in from_markup of comments typed markup declares
    ids: dict[int, str] = {}
    for number, found in enumerate(markup.comments):
        fields = read_fields(found, nested)
        if fields.text is None:
            continue
        ids[number] = fields.id or f"c{number + 1}"
        parent = ids.get(found.parent) if found.parent is not None else None
        if found.typed:
            typed.add(len(from_markup))
        from_markup.append(Comment(
            id=ids[number], parent_id=parent, depth=found.depth if parent else 0, author=fields.author,
            posted_at=None, posted_at_raw=fields.time_raw, score=fields.score, text=fields.text, quotes=fields.quotes,
        ))
    if any(comment.author or comment.posted_at_raw for comment in from_markup):
        # The page shows who wrote its comments and when: an item showing neither is a notice or a policy.
        from_markup = [comment for number, comment in enumerate(from_markup)
                       if comment.author or comment.posted_at_raw or number in typed]
    from_jsonld = jsonld_comments(article, nodes)
    chosen = from_jsonld if len(from_jsonld) >= len(from_markup) and from_jsonld else from_markup
    return PageComments(_unique_ids(chosen), markup.sections)


def jsonld_comments(article: dict[str, Any], nodes: list[dict[str, Any]]) -> list[Comment]:
    """Comments stated in JSON-LD: under the article's ``comment``, or as ``Comment`` nodes of their own."""
    roots = [node for node in _as_list(article.get("comment")) if isinstance(node, dict)]
    if not roots:
        replies = {id(reply) for node in nodes for reply in _as_list(node.get("comment")) if isinstance(reply, dict)}
        roots = [node for node in nodes if "Comment" in node_types(node) and id(node) not in replies]
    comments: list[Comment] = []
    for node in roots:
        _add_jsonld(node, None, 0, comments)
    return comments


def _add_jsonld(node: dict[str, Any], parent: str | None, depth: int, comments: list[Comment]) -> None:
    if depth > _MAX_JSONLD_DEPTH:
        return
    text = _paragraphs_of(node.get("text") or node.get("description") or node.get("articleBody"))
    comment_id = clean(str(node.get("@id") or node.get("identifier") or "")) or f"c{len(comments) + 1}"
    if text:
        author = node.get("author")
        if isinstance(author, list):
            author = author[0] if author else None
        raw_date = clean(node.get("dateCreated") or node.get("datePublished"))
        comments.append(Comment(
            id=comment_id, parent_id=parent, depth=depth,
            author=clean(author.get("name") if isinstance(author, dict) else author),
            posted_at=None, posted_at_raw=raw_date,
            score=_votes(node), text=text,
        ))
    for reply in _as_list(node.get("comment")):
        if isinstance(reply, dict):
            _add_jsonld(reply, comment_id if text else parent, depth + 1 if text else depth, comments)


def _votes(node: dict[str, Any]) -> int | None:
    up, down = node.get("upvoteCount"), node.get("downvoteCount")
    numbers = [int(value) if isinstance(value, (int, str)) and str(value).lstrip("-").isdigit() else None
               for value in (up, down)]
    if numbers == [None, None]:
        return None
    return (numbers[0] or 0) - (numbers[1] or 0)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


def _paragraphs_of(text: Any) -> str | None:
    if not isinstance(text, str):
        return None
    paragraphs = (" ".join(part.split()) for part in text.split(PARAGRAPH_BREAK))
    return PARAGRAPH_BREAK.join(part for part in paragraphs if part) or None


def _unique_ids(comments: list[Comment]) -> list[Comment]:
    seen: dict[str, int] = {}
    for comment in comments:
        count = seen.get(comment.id, 0)
        seen[comment.id] = count + 1
        if count:
            comment.id = f"{comment.id}-{count + 1}"
    return comments

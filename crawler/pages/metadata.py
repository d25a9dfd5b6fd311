"""What a news page says about itself in machine-readable form, strongest source first.

Order of trust for every field: the JSON-LD article node (``NewsArticle`` and
kin, also inside ``@graph`` or ``mainEntity``), then OpenGraph ``og:*`` /
``article:*`` meta tags, then other well-known meta names, then microdata
(``itemprop``), then plain markup (``<time datetime>``, ``<h1>``, ``<title>``).
Values are cleaned (whitespace, URLs posing as author names) but not
interpreted further: the page's statements of dates are read and weighed in
:mod:`crawler.pages.dates`, and the title is chosen with the visible
headline (:mod:`crawler.pages.layout`) by :func:`choose_title`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from parsel import Selector

from crawler.pages.jsonld import article_node, jsonld_nodes, node_types, page_node
from crawler.pages.layout import title_key, titles_agree, titles_match

TITLE_META = ("og:title", "twitter:title", "headline")
AUTHOR_META = ("article:author", "og:article:author", "author", "parsely-author", "sailthru.author", "dc.creator")
TAG_META = ("article:tag", "og:article:tag", "news_keywords", "keywords", "parsely-tags")

_SPACE = re.compile(r"\s+")
_ELLIPSES = ("...", "\u2026")
_URL = re.compile(r"^(?:https?:)?//|^www\.", re.I)


@dataclass
class PageMetadata:
    """Candidate values found on one page, and the statements they were read from (JSON-LD nodes, meta tags)."""

    titles: list[str] = field(default_factory=list)
    author: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    comment_count: int | None = None
    canonical_url: str | None = None
    article_body: str | None = None
    article: dict[str, Any] = field(default_factory=dict)
    page: dict[str, Any] = field(default_factory=dict)
    nodes: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def read_metadata(selector: Selector, base_url: str) -> PageMetadata:
    """Collect the page's own statements about title, author, dates, tags and comments."""
    problems: list[str] = []
    nodes = jsonld_nodes(selector, problems)
    article = article_node(nodes) or {}
    page = page_node(nodes) or {}
    meta = _meta_values(selector)
    canonical = selector.xpath('//link[contains(concat(" ", normalize-space(@rel), " "), " canonical ")]/@href').get()
    titles = [
        _text(article.get("headline")) or _text(article.get("name")),
        *(_first(meta, name) for name in TITLE_META),
        clean(selector.xpath('string(//*[@itemprop="headline"][1])').get()),
        clean(selector.xpath("string(//title)").get()),
    ]
    return PageMetadata(
        titles=[title for title in titles if title],
        author=_first_text(_names(article.get("author"), nodes), _author_meta(meta), _itemprop_author(selector)),
        description=_first_text(_text(article.get("description")), _first(meta, "og:description"),
                                _first(meta, "description")),
        tags=_tags(article, meta),
        comment_count=_comment_count(article, selector),
        canonical_url=_resolve(canonical, base_url),
        article_body=_text(article.get("articleBody")),
        article=article, page=page, nodes=nodes, meta=meta,
        problems=problems,
    )


def choose_title(candidates: list[str | None], headline: str | None, *, reworded: bool = False) -> str | None:
    """The title the page's visible *headline* and its metadata agree on, in its shortest agreeing form.

    Two statements agree when one contains the other (case, quotes and
    dashes aside), so "Title | Site", "Section: Title" and "Title" all vote
    for one another. When the visible headline matches any statement (agrees
    with it, the shorter at least half as long: not a logo in a title), the
    statements that disagree with it are left out: a JSON-LD or OpenGraph
    headline written for search engines loses to the one readers see, however
    many meta tags repeat it. Otherwise the statement with most agreement
    wins, ties going to agreement with the headline. Of the agreeing forms the
    shortest one still at least half as long wins, which drops site-name
    suffixes without reducing the title to a stray word; a form cut short
    with an ellipsis loses to a whole one.

    A *reworded* headline (see :class:`~crawler.pages.layout.Layout`: it
    opens the text in words of its own, and the metadata's wording is
    repeated only in a box below the text) is the title as readers see it.
    """
    if reworded and headline:
        return headline
    forms = [title for title in [*candidates, headline] if title]
    if not forms:
        return None
    keys = [title_key(title) for title in forms]
    if headline:
        seen = title_key(headline)
        agreeing_with_headline = [number for number, key in enumerate(keys[:-1]) if titles_match(key, seen)]
        if agreeing_with_headline:
            forms = [forms[number] for number in agreeing_with_headline] + [headline]
            keys = [title_key(title) for title in forms]

    def support(index: int) -> tuple[float, int]:
        votes = sum(titles_agree(keys[index], other) for number, other in enumerate(keys) if number != index)
        bonus = 0.5 if headline and titles_agree(keys[index], title_key(headline)) else 0.0
        return votes + bonus, -index

    best = max(range(len(forms)), key=support)
    agreeing = [number for number, key in enumerate(keys)
                if titles_agree(keys[best], key) and len(key) * 2 >= len(keys[best])]
    whole = [number for number in agreeing if not forms[number].endswith(_ELLIPSES)] or agreeing
    return forms[min(whole or [best], key=lambda number: len(keys[number]))]


def clean(value: Any) -> str | None:
    """*value* as one line of text, or None when it is not a non-empty string."""
    if not isinstance(value, str):
        return None
    text = _SPACE.sub(" ", value).strip()
    return text or None


def _meta_values(selector: Selector) -> dict[str, list[str]]:
    values: dict[str, list[str]] = defaultdict(list)
    # Asking for named attributes only: listing them all (parsel's .attrib) fails on a garbled attribute name.
    for meta in selector.root.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        if key and (content := clean(meta.get("content"))):
            values[key.strip().lower()].append(content)
    return values


def _first(meta: dict[str, list[str]], name: str) -> str | None:
    return next(iter(meta.get(name, [])), None)


def _first_text(*candidates: Any) -> str | None:
    return next((text for value in candidates if (text := clean(value))), None)


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((entry for entry in value if isinstance(entry, str)), None)
    return clean(value)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


def _names(value: Any, nodes: list[dict[str, Any]]) -> str | None:
    """Author names from JSON-LD: a string, a Person/Organization node or a reference to one, or a list."""
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str) and "name" in node}
    names = []
    for entry in _as_list(value):
        if isinstance(entry, dict) and "name" not in entry and isinstance(entry.get("@id"), str):
            entry = by_id.get(entry["@id"], entry)  # {"@id": ...}, as Yoast writes it
        name = clean(entry.get("name") if isinstance(entry, dict) else entry)
        if name and not _URL.match(name) and name not in names:
            names.append(name)
    return ", ".join(names) or None


def _author_meta(meta: dict[str, list[str]]) -> str | None:
    # article:author is often a profile URL rather than a name.
    return next((value for name in AUTHOR_META for value in meta.get(name, []) if not _URL.match(value)), None)


def _itemprop_author(selector: Selector) -> str | None:
    author = selector.xpath('(//*[@itemprop="author"])[1]')
    if not author:
        return None
    name = author.xpath('string(.//*[@itemprop="name"][1])').get() or author.xpath("@content").get()
    return clean(name) or clean(author.xpath("string(.)").get())


def _tags(article: dict[str, Any], meta: dict[str, list[str]]) -> list[str]:
    keywords = article.get("keywords")
    if isinstance(keywords, str):
        raw = keywords.split(",")
    elif isinstance(keywords, list):
        raw = [entry for entry in keywords if isinstance(entry, str)]
    else:
        raw = next((
            [part for value in meta[name] for part in value.split(",")]
            for name in TAG_META if meta.get(name)
        ), [])
    tags: list[str] = []
    for tag in map(clean, raw):
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _comment_count(article: dict[str, Any], selector: Selector) -> int | None:
    candidates = [article.get("commentCount")]
    for stat in _as_list(article.get("interactionStatistic")):
        if isinstance(stat, dict) and _is_comment_action(stat.get("interactionType")):
            candidates.append(stat.get("userInteractionCount"))
    itemprop = selector.xpath('(//*[@itemprop="commentCount"])[1]')
    if itemprop:
        candidates.append(itemprop.xpath("@content").get() or itemprop.xpath("string(.)").get())
    for value in candidates:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
    return None


def _is_comment_action(interaction_type: Any) -> bool:
    if isinstance(interaction_type, dict):
        return "CommentAction" in node_types(interaction_type)
    return isinstance(interaction_type, str) and re.split(r"[/:#]", interaction_type)[-1] == "CommentAction"


def _resolve(href: str | None, base_url: str) -> str | None:
    href = clean(href)
    return urljoin(base_url, href) if href else None

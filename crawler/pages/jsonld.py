"""Read the article node out of a page's JSON-LD blocks, however the site nests it.

Sites put their ``NewsArticle`` at the top level, in a list, inside ``@graph``
or under a ``WebPage``'s ``mainEntity``; they also ship blocks that are not
quite JSON (HTML comments around them, raw control characters, a trailing
semicolon). This module copes with those and hands back plain dicts; what the
values mean is :mod:`crawler.pages.metadata`'s business.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from parsel import Selector

# schema.org types whose instances are an article page's main content.
ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "AnalysisNewsArticle", "AskPublicNewsArticle", "BackgroundNewsArticle",
    "OpinionNewsArticle", "ReportageNewsArticle", "ReviewNewsArticle", "SatiricalArticle",
    "ScholarlyArticle", "TechArticle", "Report", "BlogPosting", "LiveBlogPosting", "SocialMediaPosting",
    "DiscussionForumPosting", "AdvertiserContentArticle",
})
PAGE_TYPES = frozenset({"WebPage", "ItemPage", "AboutPage", "CollectionPage"})

_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*;?\s*$")
_MAX_DEPTH = 12


def jsonld_nodes(selector: Selector, problems: list[str] | None = None) -> list[dict[str, Any]]:
    """Every typed node in the page's JSON-LD blocks, outer nodes before the ones they contain.

    A block that is not JSON even after the usual repairs is skipped, and
    described in *problems* if given.
    """
    nodes: list[dict[str, Any]] = []
    blocks = selector.xpath('//script[contains(translate(@type, "JSONLD", "jsonld"), "ld+json")]/text()').getall()
    for number, raw in enumerate(blocks, 1):
        try:
            data = _loads(raw)
        except ValueError as e:
            if problems is not None:
                problems.append(f"JSON-LD block {number} of {len(blocks)} is not valid JSON ({e}); skipped")
            continue
        nodes.extend(_typed_nodes(data, 0))
    return nodes


def node_types(node: dict[str, Any]) -> set[str]:
    """A node's ``@type`` names without vocabulary prefix (``schema:NewsArticle``, full URLs)."""
    types = node.get("@type")
    names = types if isinstance(types, list) else [types]
    return {re.split(r"[/:#]", name)[-1] for name in names if isinstance(name, str)}


def article_node(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The page's article: the first article-typed node, preferring one with a headline."""
    articles = [node for node in nodes if node_types(node) & ARTICLE_TYPES]
    with_headline = [node for node in articles if node.get("headline") or node.get("name")]
    return (with_headline or articles or [None])[0]


def page_node(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The page's ``WebPage`` node, which some sites give the dates instead of an article node."""
    return next((node for node in nodes if node_types(node) & PAGE_TYPES), None)


def _loads(raw: str) -> Any:
    text = _WRAPPERS.sub("", raw.strip()).strip().rstrip(";")
    return json.loads(text, strict=False) if text else None


def _typed_nodes(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > _MAX_DEPTH:
        return
    if isinstance(data, list):
        for entry in data:
            yield from _typed_nodes(entry, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            yield data
        for key, value in data.items():
            if key != "@type" and isinstance(value, (dict, list)):
                yield from _typed_nodes(value, depth + 1)

"""What Yoast SEO writes into ``<head>``: title, robots, canonical, OpenGraph, Twitter and the ``@graph`` JSON-LD.

Modelled on Yoast SEO 22 output: dates in UTC (``+00:00``, from
``post_date_gmt``), ``og:type`` ``article`` for every singular page (posts,
pages, attachments alike: only posts get ``article:published_time`` and an
``Article`` node), ``website`` for archives; the graph's ``WebPage`` ``@id`` is
the page URL. JSON is written as ``wp_json_encode`` does: no spaces,
slashes unescaped, non-ASCII as ``\\uXXXX``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import escape
from typing import Any

from crawler.replica.wordpress.model import Image, Post, Site

VERSION = "22.2"
BANNER = (f"<!-- This site is optimized with the Yoast SEO plugin v{VERSION} - "
          "https://yoast.com/wordpress/plugins/seo/ -->")
INDEX = "index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1"
NOINDEX = "noindex, follow"


def utc(when: datetime) -> str:
    return when.astimezone(timezone.utc).isoformat()


@dataclass
class Head:
    """The values of one page's Yoast block."""

    title: str
    description: str
    canonical: str
    og_type: str = "article"
    robots: str = INDEX
    locale: str = "en_US"
    published: datetime | None = None
    modified: datetime | None = None
    author: str | None = None
    image: str | None = None
    reading_minutes: int | None = None
    prev_url: str | None = None
    next_url: str | None = None
    graph: list[dict[str, Any]] = field(default_factory=list)


def render(head: Head, site: Site) -> str:
    a = lambda value: escape(value, quote=True)  # noqa: E731
    lines = [BANNER,
             f"<title>{escape(head.title, quote=False)}</title>"]
    if head.description:
        lines.append(f'<meta name="description" content="{a(head.description)}" />')
    lines += [f'<meta name="robots" content="{head.robots}" />', f'<link rel="canonical" href="{a(head.canonical)}" />']
    if head.prev_url:
        lines.append(f'<link rel="prev" href="{a(head.prev_url)}" />')
    if head.next_url:
        lines.append(f'<link rel="next" href="{a(head.next_url)}" />')
    og = [("og:locale", head.locale), ("og:type", head.og_type), ("og:title", head.title),
          ("og:description", head.description), ("og:url", head.canonical), ("og:site_name", site.name)]
    if head.published:
        og.append(("article:published_time", utc(head.published)))
    if head.modified:
        og.append(("article:modified_time", utc(head.modified)))
    if head.image:
        og += [("og:image", head.image), ("og:image:width", "1200"), ("og:image:height", "800"),
               ("og:image:type", "image/jpeg")]
    lines += [f'<meta property="{name}" content="{a(value)}" />' for name, value in og if value]
    if head.author:
        lines.append(f'<meta name="author" content="{a(head.author)}" />')
    lines.append('<meta name="twitter:card" content="summary_large_image" />')
    if head.author and head.reading_minutes:
        lines += ['<meta name="twitter:label1" content="Written by" />',
                  f'<meta name="twitter:data1" content="{a(head.author)}" />',
                  '<meta name="twitter:label2" content="Est. reading time" />',
                  f'<meta name="twitter:data2" content="{head.reading_minutes} minute'
                  f'{"s" if head.reading_minutes > 1 else ""}" />']
    if head.graph:
        graph = json.dumps({"@context": "https://schema.org", "@graph": head.graph}, separators=(",", ":"))
        lines.append(f'<script type="application/ld+json" class="yoast-schema-graph">{graph}</script>')
    lines.append("<!-- / Yoast SEO plugin. -->")
    return "\n\t".join(lines)


def person_id(home: str, name: str) -> str:
    return f"{home}#/schema/person/{hashlib.md5(name.encode()).hexdigest()}"


def site_nodes(site: Site, home: str, language: str) -> list[dict[str, Any]]:
    """The ``WebSite`` and ``Organization`` nodes every page's graph ends with."""
    return [
        {"@type": "WebSite", "@id": f"{home}#website", "url": home, "name": site.name, "description": site.tagline,
         "publisher": {"@id": f"{home}#organization"},
         "potentialAction": [{"@type": "SearchAction",
                              "target": {"@type": "EntryPoint", "urlTemplate": f"{home}?s={{search_term_string}}"},
                              "query-input": {"@type": "PropertyValueSpecification", "valueRequired": True,
                                              "valueName": "search_term_string"}}],
         "inLanguage": language},
        {"@type": "Organization", "@id": f"{home}#organization", "name": site.name, "url": home,
         "logo": {"@type": "ImageObject", "inLanguage": language, "@id": f"{home}#/schema/logo/image/",
                  "url": f"{home}wp-content/uploads/2025/09/meridian-logo.png",
                  "contentUrl": f"{home}wp-content/uploads/2025/09/meridian-logo.png",
                  "width": 512, "height": 512, "caption": site.name},
         "image": {"@id": f"{home}#/schema/logo/image/"}},
    ]


def _image_node(url: str, image: Image, home: str, language: str) -> dict[str, Any]:
    return {"@type": "ImageObject", "inLanguage": language, "@id": f"{url}#primaryimage",
            "url": home.rstrip("/") + image.file, "contentUrl": home.rstrip("/") + image.file,
            "width": 1200, "height": 800, "caption": image.caption}


def _breadcrumb(url: str, home: str, name: str) -> dict[str, Any]:
    return {"@type": "BreadcrumbList", "@id": f"{url}#breadcrumb", "itemListElement": [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": home},
        {"@type": "ListItem", "position": 2, "name": name}]}


def web_page(url: str, name: str, home: str, language: str, published: datetime, modified: datetime,
             description: str, page_type: str = "WebPage", image: Image | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": page_type, "@id": url, "url": url, "name": name,
                            "isPartOf": {"@id": f"{home}#website"}}
    if image is not None:
        node |= {"primaryImageOfPage": {"@id": f"{url}#primaryimage"}, "image": {"@id": f"{url}#primaryimage"},
                 "thumbnailUrl": home.rstrip("/") + image.file}
    node |= {"datePublished": utc(published), "dateModified": utc(modified), "description": description,
             "breadcrumb": {"@id": f"{url}#breadcrumb"}, "inLanguage": language,
             "potentialAction": [{"@type": "ReadAction", "target": [url]}]}
    return node


def post_graph(site: Site, home: str, post: Post, url: str, title: str, description: str, words: int,
               comment_count: int) -> list[dict[str, Any]]:
    """A post's graph: its Article (of the post's schema type), WebPage, image, breadcrumb, site and author."""
    language = post.language
    article: dict[str, Any] = {
        "@type": post.schema_type, "@id": f"{url}#article", "isPartOf": {"@id": url},
        "author": {"name": post.author.name, "@id": person_id(home, post.author.name)},
        "headline": post.title, "datePublished": utc(post.published), "dateModified": utc(post.modified),
        "mainEntityOfPage": {"@id": url}, "wordCount": words, "commentCount": comment_count,
        "publisher": {"@id": f"{home}#organization"},
    }
    if post.image is not None:
        article |= {"image": {"@id": f"{url}#primaryimage"}, "thumbnailUrl": home.rstrip("/") + post.image.file}
    article |= {"keywords": post.tags, "articleSection": [post.category.name], "inLanguage": language,
                "potentialAction": [{"@type": "CommentAction", "name": "Comment", "target": [f"{url}#respond"]}]}
    graph = [article, web_page(url, title, home, language, post.published, post.modified, description,
                               image=post.image)]
    if post.image is not None:
        graph.append(_image_node(url, post.image, home, language))
    graph += [_breadcrumb(url, home, post.title), *site_nodes(site, home, language),
              {"@type": "Person", "@id": person_id(home, post.author.name), "name": post.author.name,
               "description": post.author.bio, "url": f"{home}author/{post.author.slug}/"}]
    return graph


def page_graph(site: Site, home: str, url: str, title: str, name: str, published: datetime, modified: datetime,
               description: str, image: Image | None = None) -> list[dict[str, Any]]:
    """A page's or an attachment's graph: a WebPage and no Article."""
    graph = [web_page(url, title, home, "en-US", published, modified, description, image=image)]
    if image is not None:
        graph.append(_image_node(url, image, home, "en-US"))
    return [*graph, _breadcrumb(url, home, name), *site_nodes(site, home, "en-US")]


def archive_graph(site: Site, home: str, url: str, title: str, name: str, page_type: str,
                  language: str = "en-US") -> list[dict[str, Any]]:
    """An archive's graph: a CollectionPage (ProfilePage for an author), never an Article."""
    node = {"@type": page_type, "@id": url, "url": url, "name": title, "isPartOf": {"@id": f"{home}#website"},
            "breadcrumb": {"@id": f"{url}#breadcrumb"}, "inLanguage": language}
    return [node, _breadcrumb(url, home, name), *site_nodes(site, home, language)]

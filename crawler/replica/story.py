"""A story's own page (DLE's "fullstory"), faults included.

The missing-title story renders an empty ``<h1>`` and a ``<title>`` of just
the site name; the truncated one stops in the middle of its body, as a page
does when PHP dies while rendering; the windows-1251 one is in Russian, with
no charset in its markup (the server sends none either).
"""

from __future__ import annotations

import urllib.parse

from crawler.replica.clock import DateStyle
from crawler.replica.labels import LABELS
from crawler.replica.model import (
    REAL_HOME,
    SITE_NAME,
    Article,
    Kind,
    tag_path,
    user_path,
)
from crawler.replica.render import Renderer
from crawler.replica.templates import Markup, Page, escape, template

TRUNCATE_AT = 0.55  # share of the body that reaches the reader of the truncated story


def _og(article: Article, teaser: str, image: str | None, section: str) -> str:
    image_url = f"{REAL_HOME}{image}" if image else f"{REAL_HOME}/templates/Military/images/logo.png"
    return (
        f'<meta property="og:site_name" content="{SITE_NAME}">\n'
        '<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{escape(article.title)}">\n'
        f'<meta property="og:url" content="{REAL_HOME}{article.path}">\n'
        f'<meta property="og:image" content="{image_url}">\n'
        f'<meta property="og:description" content="{escape(teaser)}">\n'
        f'<meta property="article:published_time" content="{article.posted.isoformat()}">\n'
        f'<meta property="article:section" content="{escape(section)}">\n'
    )


def _rating(value: int) -> tuple[str, str]:
    if value > 0:
        return "ratingplus", f"+{value}"
    return ("ratingminus" if value < 0 else "ratingzero"), str(value)


def article_page(renderer: Renderer, article: Article) -> Page:
    """The page of *article* at its current URL."""
    russian = article.kind is Kind.CP1251
    lang = "ru" if russian else "en"
    text = renderer.prose.story(article)
    home = renderer.home
    category = "blogs" if article.kind is Kind.BLOG else article.section
    section = renderer.section_name(category, lang)
    rating_class, rating = _rating(article.rating)
    tags = ", ".join(f'<a href="{home}{tag_path(t)}">{escape(t)}</a>' for t in article.tags)
    values = {
        **LABELS[lang],
        "title": escape(article.title),
        "author-link": f"{home}{user_path(article.author)}",
        "author": escape(article.author),
        "date": renderer.date(article.posted, DateStyle.RUSSIAN if russian else DateStyle.PLAIN),
        "views": f"{article.views:,}".replace(",", " "),
        "comments-num": str(article.comment_count),
        "news-id": str(article.id),
        "rating-class": rating_class,
        "rating": rating,
        "full-story": text.html,
        "sources": f'\t<div class="article__sources">{escape(text.photo_credit)}</div>\n' if text.photo_credit else "",
        "tags": tags,
        "share-url": urllib.parse.quote(f"{REAL_HOME}{article.path}", safe=""),
        "comments": "" if article.kind is Kind.TRUNCATED else renderer.discussion.block(article, lang),
    }
    speedbar = (
        f'\t\t\t<div class="speedbar"><a href="{home}/">{SITE_NAME}</a> &raquo; '
        f'<a href="{home}/{category}/">{section}</a> &raquo; {escape(article.title)}</div>\n'
    )
    markup = renderer.layout(
        title=f"{article.title} - {SITE_NAME}" if article.title else SITE_NAME,
        content=template("fullstory").render(values),
        canonical=f"{REAL_HOME}{article.path}",
        description=text.teaser,
        og=_og(article, text.teaser, text.image_src, section),
        speedbar=speedbar,
        lang=lang,
        keywords=", ".join(article.tags),
    )
    if article.kind is Kind.TRUNCATED:
        markup = _cut_in_body(markup, text.html)
    if russian:
        return Page.from_markup(markup, encoding="cp1251", content_type="text/html")
    return Page.from_markup(markup)


def _cut_in_body(markup: Markup, body: str) -> Markup:
    """*markup* up to a word in the middle of *body*: nothing after it, no closing tags."""
    index = next(i for i, part in enumerate(markup) if part is body)
    cut = body.rfind(" ", 0, int(len(body) * TRUNCATE_AT))
    return [*markup[:index], body[:cut]]

"""Comment threads: the block under a story, and the JSON pages DLE's AJAX controller answers."""

from __future__ import annotations

import json
import urllib.parse

from crawler.replica.clock import date_markup
from crawler.replica.content import SiteContent
from crawler.replica.labels import LABELS, comments_title
from crawler.replica.model import Article, Comment, ScoreStyle
from crawler.replica.pager import comment_pager
from crawler.replica.prose import Prose
from crawler.replica.templates import Markup, Page, escape, join, template

RATE_BUTTON = (
    '<a href="#" onclick="doCommentsRate(\'{rate}\', \'{id}\'); return false;">'
    '<span class="rating{rate}-btn">{sign}</span></a>'
)


def score_span(value: int, style: ScoreStyle) -> str:
    """The ``ratingtypeplusminus`` span of a rating, written in *style*."""
    cls = "ratingplus" if value > 0 else "ratingminus" if value < 0 else "ratingzero"
    if style is ScoreStyle.DISABLED:
        cls, text = "ratingzero", "—"
    elif style is ScoreStyle.PADDED:
        text = f" +{value} " if value > 0 else f"−{-value}" if value < 0 else " 0 "
    else:
        text = f"+{value}" if value > 0 else str(value)
    return f'<span class="ratingtypeplusminus ignore-select {cls}">{text}</span>'


def json_escape(text: str) -> str:
    """*text* inside a JSON string, as PHP's ``json_encode`` writes it (``\\/``, ``\\uXXXX``)."""
    return json.dumps(text)[1:-1].replace("/", "\\/")


class Discussion:
    """Writes comment threads for one host's pages."""

    def __init__(self, content: SiteContent, prose: Prose, home: str) -> None:
        self.content = content
        self.prose = prose
        self.home = home

    def _author_link(self, name: str, lang: str) -> str:
        encoded = urllib.parse.quote_plus(name, encoding="cp1251" if lang == "ru" else "utf-8")
        return f"{self.home}/user/{encoded}/"

    def _date(self, article: Article, comment: Comment) -> str | Markup:
        if comment.date_text is not None:
            return escape(comment.date_text)
        text = date_markup(comment.posted, comment.date_style, article.comment_relative, self.content.anchor)
        return text if isinstance(text, str) else [text]

    def _rating(self, article: Article, comment: Comment) -> str:
        score = score_span(comment.rating, article.score_style)
        layer = f'<span id="comments-ratig-layer-{comment.id}" class="ignore-select">{score}</span>'
        if article.score_style is ScoreStyle.DISABLED:
            return layer
        plus = RATE_BUTTON.format(rate="plus", id=comment.id, sign="+")
        minus = RATE_BUTTON.format(rate="minus", id=comment.id, sign="-")
        return f"\n\t\t\t\t\t{plus}\n\t\t\t\t\t{layer}\n\t\t\t\t\t{minus}\n\t\t\t\t"

    def comment(self, article: Article, comment: Comment, lang: str) -> Markup:
        """One ``comments-tree-item``, its replies nested inside."""
        replies: Markup | str = ""
        if comment.replies:
            inner = join([self.comment(article, r, lang) for r in comment.replies])
            replies = ['<ol class="comments-tree-list">', *inner, "</ol>\n"]
        values = {**LABELS[lang], "id": str(comment.id), "date": self._date(article, comment), "replies": replies}
        if comment.deleted:
            return template("comment-deleted").render(values)
        values |= {
            "author": escape(comment.author),
            "author-link": self._author_link(comment.author, lang),
            "rating": self._rating(article, comment),
            "text": self.prose.comment(article, comment).html,
        }
        return template("comment").render(values)

    def threads(self, article: Article, page: int, lang: str = "en") -> Markup:
        return join([self.comment(article, c, lang) for c in article.threads_on_page(page)])

    def block(self, article: Article, lang: str = "en") -> Markup:
        """The comments section under a story: title, guest notice, first page, pager."""
        count = article.comment_count
        labels = LABELS[lang]
        title = f'\t<div class="comments__title">{comments_title(count, lang)}</div>\n' if count else ""
        navigation = ""
        if article.comment_pages > 1:
            pager = comment_pager(article.id, 1, article.comment_pages, labels["l-next"], labels["l-prev"])
            navigation = f'\t<div class="dle-comments-navigation">{pager}</div>\n'
        return template("comments").render({
            **labels,
            "home": self.home,
            "comments-title": title,
            "threads": self.threads(article, 1, lang),
            "navigation": navigation,
        })  # fmt: skip

    def json_page(self, article: Article, page: int) -> Page:
        """``{"navigation": ..., "comments": ...}`` for comment page *page* (empty past the last page)."""
        if page > article.comment_pages:
            return Page.from_markup(['{"navigation":"","comments":""}'], content_type=JSON_TYPE)
        navigation = comment_pager(article.id, page, article.comment_pages)
        comments = ['<ol class="comments-tree-list">', *self.threads(article, page), "</ol>"]
        escaped: Markup = [json_escape(p) if isinstance(p, str) else p for p in comments]
        markup = ['{"navigation":"', json_escape(navigation), '","comments":"', *escaped, '"}']
        return Page.from_markup(markup, escape=json_escape, content_type=JSON_TYPE)


JSON_TYPE = "application/json; charset=utf-8"

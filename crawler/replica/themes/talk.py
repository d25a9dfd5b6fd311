"""The comments of an engine theme: ``comments.tpl`` filled per comment, the block under a story, the AJAX answer."""

from __future__ import annotations

import json
import urllib.parse
from typing import TYPE_CHECKING

from crawler.replica.clock import date_markup
from crawler.replica.dle import ratings
from crawler.replica.dle.comments import (
    TREE,
    Listing,
    Shown,
    page_block,
    text_block,
)
from crawler.replica.dle.dates import date_part
from crawler.replica.dle.navigation import comment_pager
from crawler.replica.model import Article, Comment, ScoreStyle
from crawler.replica.templates import Markup, Page, escape, template
from crawler.replica.themes.spec import COMMENT_DATE_FORMAT, ICON_DISLIKE, ICON_LIKE

if TYPE_CHECKING:
    from crawler.replica.themes.engine import EngineTheme

AJAX_SLOT = '<div id="dle-ajax-comments"></div>'
REPLY_ITEM = (
    '<li class="reply grey" title="{label}"><a onclick="dle_reply(\'{id}\', \'{depth}\', \'0\'); return false;" '
    'href="#"><svg class="icon icon-reply"><use xlink:href="#icon-reply"></use></svg><span>{label}</span></a></li>'
)


def php_json(text: str) -> str:
    """*text* in a JSON string as PHP's ``json_encode`` writes it by default (``\\/``, ``\\uXXXX``)."""
    return json.dumps(text)[1:-1].replace("/", "\\/")


def dle14_json(text: str) -> str:
    """*text* in a JSON string as DLE 14 encodes it (``JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES``)."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def ascii_json(text: str) -> str:
    """A windows-1251 site's answer: json_encode needs UTF-8, so every non-ASCII letter comes out as ``\\uXXXX``."""
    return json.dumps(text)[1:-1]


class Talk:
    """Comment markup for one engine theme and host."""

    def __init__(self, theme: EngineTheme) -> None:
        self.theme = theme

    def listing(self, article: Article) -> Listing:
        variant = self.theme.variant
        return Listing(article, variant.comments, variant.deleted)

    def user_link(self, name: str, lang: str) -> str:
        return f"{self.theme.home}/user/{urllib.parse.quote_plus(name, encoding=self.theme.url_encoding(lang))}/"

    def author(self, name: str, lang: str) -> str:
        """``{author}`` of a registered user: a profile link that opens DLE's profile pop-up."""
        url = self.user_link(name, lang)
        quoted = urllib.parse.quote_plus(name, encoding=self.theme.url_encoding(lang))
        return f"<a onclick=\"ShowProfile('{quoted}', '{url}', '0'); return false;\" href=\"{url}\">{escape(name)}</a>"

    def _date(self, article: Article, comment: Comment, lang: str) -> Markup | str:
        if comment.date_text is not None:
            return escape(comment.date_text)
        anchor = self.theme.content.anchor
        if self.theme.spec.dates == "topwar":
            part = date_markup(comment.posted, comment.date_style, article.comment_relative, anchor)
        else:
            part = date_part(comment.posted, COMMENT_DATE_FORMAT[lang], lang, anchor)
        return part if isinstance(part, str) else [part]

    def rating(self, article: Article, comment: Comment) -> str:
        """The template's rating block for *comment*: empty where the site shows no rating."""
        mode = self.theme.variant.ratings
        spec = self.theme.spec
        if mode is None or not spec.shows_ratings or article.score_style is ScoreStyle.DISABLED:
            return ""
        member = mode == "member"
        plus = ratings.vote_link("plus", comment.id, ICON_LIKE) if member else ""
        minus = ratings.vote_link("minus", comment.id, ICON_DISLIKE) if member else ""
        if mode == "likes":
            likes, dislikes = ratings.votes(comment.id, comment.rating)
            values = {"likes": ratings.likes_span(comment.id, likes), "plus": plus, "minus": minus,
                      "dislikes": ratings.dislikes_span(comment.id, dislikes)}  # fmt: skip
            return "".join(spec.likes.render(values))  # type: ignore[arg-type]
        score = ratings.comment_rating(comment.id, comment.rating, member)
        return "".join(spec.plusminus.render({"plus": plus, "rating": score, "minus": minus}))  # type: ignore[arg-type]

    def _render(self, article: Article, lang: str):
        labels = self.theme.labels(lang)
        tpl = template(f"{self.theme.spec.name}_comment")
        tree = self.theme.variant.comments == TREE
        skin = self.theme.spec.skin

        def render(shown: Shown) -> Markup:
            comment = shown.comment
            html = labels["l-deleted"] if shown.blanked else self.theme.prose.comment(article, comment).html
            nbsp_name = escape(comment.author).replace(" ", "&nbsp;").replace("&#039;", "&amp;#039;")
            values = {
                **labels,
                "id": str(comment.id),
                "comment-id": str(shown.ordinal),
                "login": escape(comment.author),
                "author": self.author(comment.author, lang),
                "author-link": self.user_link(comment.author, lang),
                "foto": f"/templates/{skin}/dleimages/noavatar.png",
                "date": self._date(article, comment, lang),
                "rating": self.rating(article, comment),
                "comment": text_block(comment.id, html),
                "fast": f"<a onmouseover=\"dle_copy_quote('{nbsp_name}');\" href=\"#\" "
                        f"onclick=\"dle_ins('{comment.id}'); return false;\">",
                "reply": REPLY_ITEM.format(label=labels["l-reply"], id=comment.id, depth=shown.depth) if tree else "",
            }  # fmt: skip
            return tpl.render(values)

        return render

    def navigation(self, article: Article, page: int, pages: int) -> str:
        theme = self.theme
        return comment_pager(theme.pager(theme.site.lang), article.id, page, pages, theme.home, article.path,
                             stale_next=theme.spec.stale_next)  # fmt: skip

    def block(self, article: Article, page: int, lang: str) -> tuple[Markup, str]:
        """The comments of *page* under the story, as ``build_comments`` leaves them, and the pager block."""
        listing = self.listing(article)
        if listing.count() == 0:
            return [f"\n{AJAX_SLOT}\n"], ""
        comments = page_block(listing.compile(page, self._render(article, lang)))
        pages = listing.pages()
        if pages <= 1:
            return comments, ""
        return comments, f'<div class="dle-comments-navigation">{self.navigation(article, page, pages)}</div>'

    def json_page(self, article: Article, page: int, massact: bool) -> Page:
        """``engine/ajax/controller.php?mod=comments``: ``{"navigation": ..., "comments": ...}`` for *page*."""
        theme = self.theme
        listing = self.listing(article)
        pages = listing.pages()
        comments = listing.compile(page, self._render(article, theme.site.lang))
        if comments and massact:
            comments.append(AJAX_SLOT)
        if theme.spec.json == "php":
            escape_json, content_type = php_json, "application/json; charset=utf-8"
            navigation = f'"{php_json(self.navigation(article, page, pages))}"' if comments else '""'
        else:
            cp1251 = theme.variant.charset == "windows-1251"
            escape_json = ascii_json if cp1251 else dle14_json
            content_type = f"text/html; charset={theme.variant.charset}"
            # With one page the engine never builds a pager, and json_encode writes the missing value as null.
            navigation = f'"{escape_json(self.navigation(article, page, pages))}"' if pages > 1 else "null"
        escaped: Markup = [escape_json(p) if isinstance(p, str) else p for p in comments]
        markup: Markup = ['{"navigation":', navigation, ',"comments":"', *escaped, '"}']
        return Page.from_markup(markup, escape=escape_json, content_type=content_type)

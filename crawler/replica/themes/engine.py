"""The pages of an engine theme: listings, the full story, information pages.

The story body is ``{full-story}`` as the editor saved it, with no wrapper of
the engine's; the frame around every page is :mod:`crawler.replica.themes.frame`.
"""

from __future__ import annotations

import hashlib
import urllib.parse

from crawler.replica.content import SiteContent
from crawler.replica.controller import NOT_FOUND_JSON
from crawler.replica.dle import ratings
from crawler.replica.dle.dates import MOSCOW, php_date
from crawler.replica.dle.navigation import listing_pager
from crawler.replica.model import STORIES_PER_PAGE, Article, Kind, tag_path, user_path
from crawler.replica.prose import Prose
from crawler.replica.templates import Markup, Page, Template, escape, join, template
from crawler.replica.themes.frame import Frame
from crawler.replica.themes.labels import comments_heading
from crawler.replica.themes.spec import ICON_DISLIKE, ICON_LIKE, ThemeSpec
from crawler.replica.themes.talk import Talk
from crawler.replica.variant import Variant

TRUNCATE_AT = 0.55  # as the default theme: the share of the body that reaches the reader of the truncated story
HACKING_ATTEMPT = b"Hacking attempt!"


def _cut_in_body(markup: Markup, body: str) -> Markup:
    """*markup* up to a word in the middle of *body*: nothing after it, no closing tags."""
    index = next(i for i, part in enumerate(markup) if part is body)
    cut = body.rfind(" ", 0, int(len(body) * TRUNCATE_AT))
    return [*markup[:index], body[:cut]]


class EngineTheme(Frame):
    """One host's pages in one engine theme."""

    paged_links = True  # /page,1,N,ID-slug.html answers with comment page N

    def __init__(self, spec: ThemeSpec, variant: Variant, content: SiteContent, prose: Prose, host: str) -> None:
        super().__init__(spec, variant, content, prose, host)
        self.talk = Talk(self)

    # --- listings ----------------------------------------------------------------------------

    def _category(self, article: Article) -> tuple[str, str]:
        slug = "blogs" if article.kind is Kind.BLOG else article.section
        return slug, "Blogs" if slug == "blogs" else self.content.sections[slug]

    def _story_values(self, article: Article, lang: str, path: str) -> dict[str, str | Markup]:
        """The tags a story fills in ``shortstory.tpl`` and ``fullstory.tpl``."""
        slug, name = self._category(article)
        author = article.author
        return {
            **self.labels(lang),
            "title": escape(article.title), "link": f"{self.home}{path}", "full-link": f"{self.home}{article.path}",
            "date": self.story_date(article, lang), "date-ymd": php_date("Y-m-d", article.posted, lang),
            "date-iso": article.posted.astimezone(MOSCOW).isoformat(),
            "category": escape(name), "category-link": f"{self.home}/{slug}/",
            "link-category": f'<a href="{self.home}/{slug}/">{escape(name)}</a>',
            "comments-num": str(self.talk.listing(article).count()), "views": f"{article.views:,}".replace(",", " "),
            "login": escape(author), "author": self.talk.author(author, lang),
            "author-link": self.talk.user_link(author, lang), "news-id": str(article.id),
            "teaser": escape(self.prose.story(article).teaser), "home": self.home,
        }  # fmt: skip

    def _short_stories(self, stories: list[Article], lang: str) -> Markup:
        tpl = template(f"{self.spec.name}_shortstory")
        return join([tpl.render(self._story_values(a, lang, a.listed_path)) for a in stories], "\n")

    def listing(self, stories: list[Article], page: int, base: str, heading: str | None = None) -> Page | None:
        lang = self.site.lang
        pages = max(1, -(-len(stories) // STORIES_PER_PAGE))
        if not 1 <= page <= pages:
            return None
        blocks = self._short_stories(stories[(page - 1) * STORIES_PER_PAGE : page * STORIES_PER_PAGE], lang)

        def url(n: int) -> str:
            return f"{self.home}{base}" if n == 1 else f"{self.home}{base}page/{n}/"

        nav = listing_pager(self.pager(lang), page, pages, url) if pages > 1 else ""
        extra = f" &raquo; {self.labels(lang)['l-page']} {page}" if page > 1 else ""
        site = escape(self.site.name)
        title = self.title(f"{escape(heading)}{extra}", site) if heading else f"{site}{extra}"
        path = base if page == 1 else f"{base}page/{page}/"
        headers = self._headers(title, f"{self.site.real_home}{path}")
        speedbar = self._crumbs(escape(heading)) if heading else ""
        markup = self.layout(headers=headers, content=["\n", *blocks, "\n", nav], lang=lang, speedbar=speedbar)
        return self._page(markup)

    def tag_listing(self, tag: str, page: int) -> Page | None:
        stories = self.content.by_tag.get(tag)
        if stories is None:
            return None
        return self.listing(stories, page, tag_path(tag), heading=f"{self.labels(self.site.lang)['l-tags']}: {tag}")

    # --- the full story ----------------------------------------------------------------------

    def _rating(self, article: Article) -> str:
        mode = self.variant.ratings
        if mode is None or not self.spec.shows_ratings:
            return ""
        member = mode == "member"
        score = ratings.article_rating(article.id, article.rating, member)
        plus = minus = ""
        if member:
            plus = f"<a href=\"#\" onclick=\"doRate('plus', '{article.id}'); return false;\" >{ICON_LIKE}</a>"
            minus = f"<a href=\"#\" onclick=\"doRate('minus', '{article.id}'); return false;\" >{ICON_DISLIKE}</a>"
        return "".join(self.spec.plusminus.render({"plus": plus, "rating": score, "minus": minus}))  # type: ignore[arg-type]

    def _tags(self, article: Article, lang: str) -> str:
        """``{tags}`` as ``show.full.php`` writes it: ``rawurlencode``d links in the site's charset."""
        encoding = self.url_encoding(lang)
        return " ".join(f'<span><a href="{self.home}/tags/{urllib.parse.quote(t, safe="", encoding=encoding)}/">'
                        f"{escape(t)}</a></span>" for t in article.tags)  # fmt: skip

    def _comments_heading(self, count: int, lang: str) -> str:
        if not count:
            return ""
        if self.spec.name == "topwar":
            return f'\t<div class="comments__title font fw-b">{comments_heading(count, lang)}</div>\n'
        return f'<h4 class="heading">{self.labels(lang)["l-comments"]} <span class="grey hnum">{count}</span></h4>'

    def _story_headers(self, article: Article, comment_page: int, lang: str) -> str:
        story = self.prose.story(article)
        home = self.site.real_home
        extra = f" &raquo; {self.labels(lang)['l-page']} {comment_page}" if comment_page > 1 else ""
        site = escape(self.site.name)
        title = self.title(f"{escape(article.title)}{extra}", site) if article.title else site
        canonical = f"{home}{article.path}"
        if comment_page > 1:
            folder, name = article.path.rsplit("/", 1)
            canonical = f"{home}{folder}/page,1,{comment_page},{name}"
        image = f"{home}{story.image_src}" if story.image_src else f"{home}/templates/{self.spec.skin}/images/logo.png"
        og = {"site_name": site, "type": "article", "title": escape(article.title), "url": f"{home}{article.path}",
              "image": image, "description": escape(story.teaser)}  # fmt: skip
        return self._headers(title, canonical, description=story.teaser, keywords=", ".join(article.tags), og=og,
                             news_keywords=",".join(article.tags),
                             charset=None if article.kind is Kind.CP1251 else "")  # fmt: skip

    def article(self, article: Article, comment_page: int = 1) -> Page | None:
        """The story page with comment page *comment_page*; None if the story has no such comment page."""
        russian = article.kind is Kind.CP1251
        lang = "ru" if russian else self.site.lang
        labels = self.labels(lang)
        listing = self.talk.listing(article)
        if not 1 <= comment_page <= listing.pages():
            return None
        story = self.prose.story(article)
        comments, navigation = self.talk.block(article, comment_page, lang)
        tags = self._tags(article, lang)
        credit = story.photo_credit
        values = self._story_values(article, lang, article.path) | {
            "full-story": story.html, "rating": self._rating(article), "tags": tags,
            "sources": f'\t<div class="article-sources fs-0875 c-muted">{escape(credit)}</div>\n' if credit else "",
            "comments-heading": self._comments_heading(listing.count(), lang), "comments": comments,
            "navigation": navigation,
            "addcomments": template("dle14_addcomments").render({**labels, "news-id": str(article.id)}),
        }  # fmt: skip
        sidebar: Markup | str = ""
        if self.spec.sidebar_tags and tags:
            sidebar = Template(self.spec.sidebar_tags).render({**labels, "tags": tags})
        slug, section = self._category(article)
        markup = self.layout(
            headers=self._story_headers(article, comment_page, lang),
            content=template(f"{self.spec.name}_fullstory").render(values), lang=lang,
            speedbar=self._crumbs((f"{self.home}/{slug}/", section), escape(article.title)),
            sidebar=sidebar, page_class=" showfull",
        )  # fmt: skip
        if article.kind is Kind.TRUNCATED:
            markup = _cut_in_body(markup, story.html)
        return self._page(markup, undeclared_cp1251=russian)

    # --- information pages -------------------------------------------------------------------

    def info_page(self, heading: str, message: str, title: str, path: str) -> Page:
        lang = self.site.lang
        box = template(f"{self.spec.name}_info").render({"heading": heading, "message": message})
        headers = self._headers(self.title(escape(title), escape(self.site.name)), f"{self.site.real_home}{path}")
        return self._page(self.layout(headers=headers, content=box, lang=lang))

    def not_found(self) -> Page:
        labels = self.labels(self.site.lang)
        return self.info_page(labels["l-info"], labels["l-not-found"], labels["l-info"], "/")

    def user(self, name: str) -> Page | None:
        user = self.content.users.get(name)
        if user is None:
            return None
        lang = self.site.lang
        labels = self.labels(lang)
        registered = 2011 + int(hashlib.sha1(name.encode()).hexdigest(), 16) % 9
        box = template(f"{self.spec.name}_userinfo").render({
            **labels, "name": escape(name), "group": labels["l-editors"] if user.articles else labels["l-visitors"],
            "registered": str(registered), "articles": str(user.articles), "comments": str(user.comments),
        })  # fmt: skip
        headers = self._headers(self.title(f"{labels['l-user']} {escape(name)}", escape(self.site.name)),
                                f"{self.site.real_home}{user_path(name)}")  # fmt: skip
        return self._page(self.layout(headers=headers, content=box, lang=lang))

    def search(self, query: str, found: list[Article]) -> Page:
        lang = self.site.lang
        labels = self.labels(lang)
        box = template(f"{self.spec.name}_info").render(
            {"heading": labels["l-search-results"], "message": f"&laquo;{escape(query)}&raquo;: {len(found)}"})
        title = self.title(labels["l-search-results"], escape(self.site.name))
        headers = self._headers(title, f"{self.site.real_home}/")
        content = join([box, "\n", self._short_stories(found, lang)])
        return self._page(self.layout(headers=headers, content=content, lang=lang))

    def comments_json(self, article: Article, page: int, massact: bool) -> Page:
        return self.talk.json_page(article, page, massact)

    def unknown_story(self) -> tuple[bytes, str]:
        """What the AJAX controller answers for a news_id it does not know (DLE 14: ``die("Hacking attempt!")``)."""
        if self.spec.json == "php":
            return NOT_FOUND_JSON.encode(), "application/json; charset=utf-8"
        return HACKING_ATTEMPT, f"text/html; charset={self.variant.charset}"

"""The pages of an engine theme: layout, listings, the full story, information pages.

Headers are what DLE 14's ``engine.php`` writes for ``{headers}`` (charset,
title ``Story &raquo; Site``, description, keywords, generator,
``news_keywords``, OpenGraph, canonical, RSS), except that a windows-1251 site
declares its charset the way older skins kept doing it, in a
``<meta http-equiv>``, and the server names none. The story body is
``{full-story}`` as the editor saved it, with no wrapper of the engine's.
"""

from __future__ import annotations

import hashlib
import urllib.parse

from crawler.replica.clock import DateStyle, Relative, date_markup
from crawler.replica.content import SiteContent
from crawler.replica.dle import ratings
from crawler.replica.dle.dates import MOSCOW, date_part, php_date
from crawler.replica.dle.navigation import Pager, listing_pager
from crawler.replica.model import STORIES_PER_PAGE, Article, Kind, tag_path, user_path
from crawler.replica.prose import Prose
from crawler.replica.templates import Markup, Page, Template, escape, join, template
from crawler.replica.themes.labels import LABELS, comments_heading
from crawler.replica.themes.spec import ICON_DISLIKE, ICON_LIKE, STORY_DATE_FORMAT, ThemeSpec
from crawler.replica.themes.talk import Talk
from crawler.replica.variant import Variant

TRUNCATE_AT = 0.55  # as the default theme: the share of the body that reaches the reader of the truncated story
HACKING_ATTEMPT = b"Hacking attempt!"
NOT_FOUND_JSON = '{"error":"The publication you are looking for was not found or you do not have access to it."}'


def _cut_in_body(markup: Markup, body: str) -> Markup:
    """*markup* up to a word in the middle of *body*: nothing after it, no closing tags."""
    index = next(i for i, part in enumerate(markup) if part is body)
    cut = body.rfind(" ", 0, int(len(body) * TRUNCATE_AT))
    return [*markup[:index], body[:cut]]


class EngineTheme:
    """One host's pages in one engine theme."""

    paged_links = True  # /page,1,N,ID-slug.html answers with comment page N

    def __init__(self, spec: ThemeSpec, variant: Variant, content: SiteContent, prose: Prose, host: str) -> None:
        self.spec = spec
        self.variant = variant
        self.content = content
        self.prose = prose
        self.site = content.site
        self.home = f"http://{host}"
        self.talk = Talk(self)
        self.login_hash = hashlib.sha1(f"{content.seed}/login".encode()).hexdigest()
        self._pagers: dict[str, Pager] = {}

    # --- words, encodings, dates -------------------------------------------------------------

    def labels(self, lang: str) -> dict[str, str]:
        return {**LABELS[lang], **self.spec.labels.get(lang, {})}

    def pager(self, lang: str) -> Pager:
        """The theme's ``navigation.tpl`` with its labels in *lang*."""
        pager = self._pagers.get(lang)
        if pager is None:
            labels = self.labels(lang)
            prev, next_ = ("".join(Template(text).render(labels)) for text in (self.spec.prev_inner, self.spec.next_inner))  # type: ignore[arg-type]
            pager = self._pagers[lang] = Pager(template(f"{self.spec.name}_navigation"), prev, next_, labels)
        return pager

    @property
    def cp1251(self) -> bool:
        return self.variant.charset == "windows-1251"

    def url_encoding(self, lang: str) -> str:
        """How DLE's ``urlencode`` spells names in links: in the site's own charset."""
        return "cp1251" if self.cp1251 or lang == "ru" else "utf-8"

    def _page(self, markup: Markup, undeclared_cp1251: bool = False) -> Page:
        if self.cp1251 or undeclared_cp1251:
            return Page.from_markup(markup, encoding="cp1251", content_type="text/html")
        return Page.from_markup(markup)

    def story_date(self, article: Article, lang: str) -> Markup | str:
        anchor = self.content.anchor
        if self.spec.dates == "topwar":
            style = DateStyle.RUSSIAN if lang == "ru" else DateStyle.PLAIN
            part = date_markup(article.posted, style, Relative.CALENDAR, anchor)
        else:
            part = date_part(article.posted, STORY_DATE_FORMAT[lang], lang, anchor)
        return part if isinstance(part, str) else [part]

    # --- the frame ---------------------------------------------------------------------------

    def _crumbs(self, *links: tuple[str, str] | str) -> str:
        """The speedbar: the home page, then each (address, name) as a link and each plain text as is."""
        parts = [f'<a href="{self.home}/">{escape(self.site.name)}</a>']
        for link in links:
            parts.append(f'<a href="{link[0]}">{escape(link[1])}</a>' if isinstance(link, tuple) else link)
        return "\t\t\t" + self.spec.speedbar.replace("{crumbs}", " &raquo; ".join(parts)) + "\n"

    def _ajax(self) -> str:
        return (
            "<script>\n<!--\nvar dle_root       = '/';\nvar dle_admin      = '';\n"
            f"var dle_login_hash = '{self.login_hash}';\nvar dle_group      = 5;\n"
            f"var dle_skin       = '{self.spec.skin}';\nvar dle_wysiwyg    = '-1';\n//-->\n</script>\n"
            '<script src="/engine/classes/min/index.php?g=general&amp;v=2020"></script>\n'
            '<script src="/engine/classes/min/index.php?f=engine/classes/js/dle_js.js&amp;v=2020" defer></script>\n'
        )

    def _headers(self, title: str, canonical: str, *, description: str = "", keywords: str = "",
                 og: dict[str, str] | None = None, news_keywords: str = "", charset: str | None = "") -> str:
        site = self.site
        if charset == "":
            charset = self.variant.charset
        lines = []
        if charset == "windows-1251":
            lines.append('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">')
        elif charset:
            lines.append(f'<meta charset="{charset}">')
        lines += [
            f"<title>{title}</title>",
            f'<meta name="description" content="{escape(description or site.description)}">',
            f'<meta name="keywords" content="{escape(keywords or site.keywords)}">',
            '<meta name="generator" content="DataLife Engine (https://dle-news.ru)">',
        ]
        og = og or {"site_name": site.name, "type": "website", "title": title, "url": canonical}
        for key, value in og.items():
            if key == "image" and news_keywords:
                lines.append(f'<meta name="news_keywords" content="{escape(news_keywords)}">')
            lines.append(f'<meta property="og:{key}" content="{value}">')
        lines += [
            f'<link rel="search" type="application/opensearchdescription+xml" href="{self.home}/index.php?do=opensearch"'
            f' title="{escape(site.name)}">',
            f'<link rel="canonical" href="{canonical}">',
            f'<link rel="alternate" type="application/rss+xml" title="{escape(site.name)}" href="{self.home}/rss.xml">',
        ]
        return "\n".join(lines)

    def layout(self, *, headers: str, content: Markup | str, lang: str, speedbar: str = "", sidebar: str = "",
               page_class: str = "") -> Markup:
        nav = "".join(f'\t\t\t\t<li><a href="{self.home}/{slug}/">{escape(name)}</a></li>\n'
                      for slug, name in self.content.sections.items())  # fmt: skip
        values = {
            **self.labels(lang), "lang": lang, "headers": headers, "skin": self.spec.skin, "home": self.home,
            "site-name": escape(self.site.name), "nav": nav, "speedbar": speedbar, "content": content,
            "sidebar": sidebar, "page-class": page_class, "ajax": self._ajax(), "year": str(self.content.anchor.year),
        }  # fmt: skip
        return template(f"{self.spec.name}_main").render(values)

    def title(self, *parts: str) -> str:
        return self.spec.title_separator.join(p for p in parts if p)

    # --- listings ----------------------------------------------------------------------------

    def _category(self, article: Article) -> tuple[str, str]:
        slug = "blogs" if article.kind is Kind.BLOG else article.section
        return slug, "Blogs" if slug == "blogs" else self.content.sections[slug]

    def _story_values(self, article: Article, lang: str, path: str) -> dict[str, str | Markup]:
        slug, name = self._category(article)
        return {
            **self.labels(lang),
            "title": escape(article.title), "link": f"{self.home}{path}", "full-link": f"{self.home}{article.path}",
            "date": self.story_date(article, lang), "date-ymd": php_date("Y-m-d", article.posted, lang),
            "date-iso": article.posted.astimezone(MOSCOW).isoformat(),
            "category": escape(name), "category-link": f"{self.home}/{slug}/",
            "link-category": f'<a href="{self.home}/{slug}/">{escape(name)}</a>',
            "comments-num": str(self.talk.listing(article).count()), "views": f"{article.views:,}".replace(",", " "),
            "login": escape(article.author), "author": self.talk.author(article.author, lang), "author-link": self.talk.user_link(article.author, lang),
            "news-id": str(article.id), "teaser": escape(self.prose.story(article).teaser), "home": self.home,
        }  # fmt: skip

    def listing(self, stories: list[Article], page: int, base: str, heading: str | None = None) -> Page | None:
        lang = self.site.lang
        pages = max(1, -(-len(stories) // STORIES_PER_PAGE))
        if not 1 <= page <= pages:
            return None
        shown = stories[(page - 1) * STORIES_PER_PAGE : page * STORIES_PER_PAGE]
        blocks = join([template(f"{self.spec.name}_shortstory").render(self._story_values(a, lang, a.listed_path))
                       for a in shown], "\n")  # fmt: skip

        def url(n: int) -> str:
            return f"{self.home}{base}" if n == 1 else f"{self.home}{base}page/{n}/"

        nav = listing_pager(self.pager(lang), page, pages, url) if pages > 1 else ""
        extra = f" &raquo; {self.labels(lang)['l-page']} {page}" if page > 1 else ""
        title = self.title(f"{escape(heading)}{extra}", escape(self.site.name)) if heading else f"{escape(self.site.name)}{extra}"
        path = base if page == 1 else f"{base}page/{page}/"
        headers = self._headers(title, f"{self.site.real_home}{path}")
        speedbar = self._crumbs(escape(heading)) if heading else ""
        return self._page(self.layout(headers=headers, content=["\n", *blocks, "\n", nav], lang=lang, speedbar=speedbar))

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
        plus = f"<a href=\"#\" onclick=\"doRate('plus', '{article.id}'); return false;\" >{ICON_LIKE}</a>" if member else ""
        minus = f"<a href=\"#\" onclick=\"doRate('minus', '{article.id}'); return false;\" >{ICON_DISLIKE}</a>" if member else ""
        return "".join(self.spec.plusminus.render({"plus": plus, "rating": score, "minus": minus}))  # type: ignore[arg-type]

    def _tags(self, article: Article, lang: str) -> str:
        encoding = self.url_encoding(lang)
        return " ".join(f'<span><a href="{self.home}/tags/{urllib.parse.quote(t, safe="", encoding=encoding)}/">'
                        f"{escape(t)}</a></span>" for t in article.tags)  # fmt: skip

    def article(self, article: Article, comment_page: int = 1) -> Page | None:
        """The story page with comment page *comment_page*; None if the story has no such comment page."""
        russian = article.kind is Kind.CP1251
        lang = "ru" if russian else self.site.lang
        labels = self.labels(lang)
        if not 1 <= comment_page <= self.talk.listing(article).pages():
            return None
        story = self.prose.story(article)
        values = self._story_values(article, lang, article.path)
        comments, navigation = self.talk.block(article, comment_page, lang)
        count = self.talk.listing(article).count()
        tags = self._tags(article, lang)
        heading = ""
        if count:
            heading = (f'\t<div class="comments__title font fw-b">{comments_heading(count, lang)}</div>\n'
                       if self.spec.name == "topwar" else
                       f'<h4 class="heading">{labels["l-comments"]} <span class="grey hnum">{count}</span></h4>')  # fmt: skip
        values |= {
            "full-story": story.html, "rating": self._rating(article), "tags": tags,
            "sources": f'\t<div class="article-sources fs-0875 c-muted">{escape(story.photo_credit)}</div>\n'
                       if story.photo_credit else "",
            "comments-heading": heading, "comments": comments, "navigation": navigation,
            "addcomments": "".join(template("dle14_addcomments").render({**labels, "news-id": str(article.id)})),  # type: ignore[arg-type]
        }  # fmt: skip
        slug, section = self._category(article)
        extra = f" &raquo; {labels['l-page']} {comment_page}" if comment_page > 1 else ""
        title = self.title(f"{escape(article.title)}{extra}", escape(self.site.name)) if article.title else escape(self.site.name)
        canonical = f"{self.site.real_home}{article.path}"
        if comment_page > 1:
            folder, name = article.path.rsplit("/", 1)
            canonical = f"{self.site.real_home}{folder}/page,1,{comment_page},{name}"
        image = f"{self.site.real_home}{story.image_src}" if story.image_src else f"{self.site.real_home}/templates/{self.spec.skin}/images/logo.png"
        og = {"site_name": escape(self.site.name), "type": "article", "title": escape(article.title),
              "url": f"{self.site.real_home}{article.path}", "image": image, "description": escape(story.teaser)}  # fmt: skip
        headers = self._headers(title, canonical, description=story.teaser, keywords=", ".join(article.tags), og=og,
                                news_keywords=",".join(article.tags), charset=None if russian else "")  # fmt: skip
        sidebar = Template(self.spec.sidebar_tags).render({**labels, "tags": tags}) if self.spec.sidebar_tags and tags else ""
        markup = self.layout(
            headers=headers, content=template(f"{self.spec.name}_fullstory").render(values), lang=lang,
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
        items = [template(f"{self.spec.name}_shortstory").render(self._story_values(a, lang, a.listed_path)) for a in found]
        headers = self._headers(self.title(labels["l-search-results"], escape(self.site.name)), f"{self.site.real_home}/")
        return self._page(self.layout(headers=headers, content=join([box, "\n", *items]), lang=lang))

    def comments_json(self, article: Article, page: int, massact: bool) -> Page:
        return self.talk.json_page(article, page, massact)

    def unknown_story(self) -> tuple[bytes, str]:
        """What the AJAX controller answers for a news_id it does not know (DLE 14: ``die("Hacking attempt!")``)."""
        if self.spec.json == "php":
            return NOT_FOUND_JSON.encode(), "application/json; charset=utf-8"
        return HACKING_ATTEMPT, f"text/html; charset={self.variant.charset}"

"""The frame of an engine theme's pages: its words, charset, dates, ``{headers}``, speedbar and ``main.tpl``.

Headers are what DLE 14's ``engine.php`` writes for ``{headers}`` (charset,
title ``Story &raquo; Site``, description, keywords, generator,
``news_keywords``, OpenGraph, canonical, RSS), except that a windows-1251 site
declares its charset the way older skins kept doing it, in a
``<meta http-equiv>``, and the server names none.
"""

from __future__ import annotations

import hashlib

from crawler.replica.clock import DateStyle, Relative, date_markup
from crawler.replica.content import SiteContent
from crawler.replica.dle.dates import date_part
from crawler.replica.dle.navigation import Pager
from crawler.replica.model import Article
from crawler.replica.prose import Prose
from crawler.replica.templates import Markup, Page, Template, escape, template
from crawler.replica.themes.labels import LABELS
from crawler.replica.themes.spec import STORY_DATE_FORMAT, ThemeSpec
from crawler.replica.variant import Variant


class Frame:
    """What every page of one engine theme on one host shares."""

    def __init__(self, spec: ThemeSpec, variant: Variant, content: SiteContent, prose: Prose, host: str) -> None:
        self.spec = spec
        self.variant = variant
        self.content = content
        self.prose = prose
        self.site = content.site
        self.home = f"http://{host}"
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
            prev, next_ = (Template(text).render(labels) for text in (self.spec.prev_inner, self.spec.next_inner))
            prev_text, next_text = "".join(prev), "".join(next_)  # type: ignore[arg-type]
            pager = self._pagers[lang] = Pager(template(f"{self.spec.name}_navigation"), prev_text, next_text, labels)
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
        og = og or {"site_name": escape(site.name), "type": "website", "title": title, "url": canonical}
        for key, value in og.items():
            if key == "image" and news_keywords:
                lines.append(f'<meta name="news_keywords" content="{escape(news_keywords)}">')
            lines.append(f'<meta property="og:{key}" content="{value}">')
        lines += [
            (f'<link rel="search" type="application/opensearchdescription+xml" '
             f'href="{self.home}/index.php?do=opensearch" title="{escape(site.name)}">'),
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


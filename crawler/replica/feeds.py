"""The machine-readable files: robots.txt, sitemap.xml and rss.xml."""

from __future__ import annotations

import email.utils

from crawler.replica.content import SiteContent
from crawler.replica.model import Kind
from crawler.replica.prose import Prose
from crawler.replica.templates import Page, escape

RSS_ITEMS = 20
RSS_DESCRIPTION = {"en": "Military Review: news of the army, weapons and military equipment"}

ROBOTS = """User-agent: *
Disallow: /engine/go.php
Disallow: /engine/download.php
Disallow: /user/
Disallow: /newposts/
Disallow: /statistics.html
Disallow: /*subaction=userinfo
Disallow: /*subaction=newposts
Disallow: /*do=lastcomments
Disallow: /*do=feedback
Disallow: /*do=register
Disallow: /*do=lostpassword
Disallow: /*do=addnews
Disallow: /*do=stats
Disallow: /*do=pm
Disallow: /*do=search
Disallow: /blogs/
Host: {host}
Sitemap: http://{host}/sitemap.xml
"""


def robots_txt(host: str) -> bytes:
    """DLE's robots.txt, its ``Host`` and ``Sitemap`` lines naming the host it was asked on."""
    return ROBOTS.format(host=host).encode("ascii")


def sitemap(content: SiteContent, home: str) -> Page:
    """Every story page (not the gone one, not the blog) with its date, then the sections."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines.append(f"<url><loc>{home}/</loc><changefreq>hourly</changefreq><priority>1.0</priority></url>")
    for slug in content.sections:
        lines.append(f"<url><loc>{home}/{slug}/</loc><changefreq>daily</changefreq><priority>0.7</priority></url>")
    for article in content.stories:
        if article.kind in (Kind.GONE, Kind.BLOG):
            continue
        lines.append(
            f"<url><loc>{home}{article.path}</loc><lastmod>{article.posted.isoformat()}</lastmod>"
            "<changefreq>weekly</changefreq><priority>0.6</priority></url>"
        )
    lines.append("</urlset>\n")
    return Page.from_markup(["\n".join(lines)], content_type="application/xml; charset=utf-8")


def rss(content: SiteContent, prose: Prose, home: str, charset: str = "utf-8") -> Page:
    """The latest stories as RSS 2.0, in the site's charset."""
    items = []
    site = content.site
    for article in [a for a in content.stories if a.kind is not Kind.GONE][:RSS_ITEMS]:
        category = "Blogs" if article.kind is Kind.BLOG else content.sections[article.section]
        items.append(
            "<item>\n"
            f"<title>{escape(article.title)}</title>\n"
            f'<guid isPermaLink="true">{home}{article.path}</guid>\n'
            f"<link>{home}{article.path}</link>\n"
            f"<description><![CDATA[{prose.story(article).teaser}]]></description>\n"
            f"<category>{escape(category)}</category>\n"
            f"<dc:creator>{escape(article.author)}</dc:creator>\n"
            f"<pubDate>{email.utils.format_datetime(article.posted)}</pubDate>\n"
            "</item>"
        )
    feed = (
        f'<?xml version="1.0" encoding="{charset}"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n'
        f"<title>{escape(site.name)}</title>\n<link>{home}/</link>\n<language>{site.lang}</language>\n"
        f"<description>{RSS_DESCRIPTION.get(site.key, site.description)}</description>\n"
        "<generator>DataLife Engine</generator>\n" + "\n".join(items) + "\n</channel>\n</rss>\n"
    )
    encoding = "cp1251" if charset == "windows-1251" else "utf-8"
    return Page.from_markup([feed], encoding=encoding, content_type=f"application/rss+xml; charset={charset}")

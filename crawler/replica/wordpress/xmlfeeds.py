"""robots.txt, Yoast's sitemaps, the Google News sitemap, and WordPress's RSS 2.0 and Atom feeds.

- robots.txt: WordPress's virtual one plus three ``Sitemap:`` lines (Yoast's
  index, the news sitemap, and core's ``wp-sitemap.xml``, which Yoast answers
  with a 301 to its index);
- ``sitemap_index.xml`` → ``post-sitemap.xml``, ``post-sitemap2.xml`` (25 posts
  each, oldest change first), ``page-sitemap.xml`` (the home page first),
  ``dossier-sitemap.xml``, ``category-sitemap.xml``, ``post_tag-sitemap.xml``,
  ``author-sitemap.xml``; noindexed posts are left out; the post sitemaps are
  served from a page cache built at :data:`~crawler.replica.wordpress.model.SITEMAP_CACHED`;
- ``news-sitemap.xml``: posts of the last 48 hours, ``news:publication_date`` in local time;
- ``/feed/`` (RSS 2.0) and ``/feed/atom/``: the latest ten posts of the feed
  categories, dates in UTC; ``/category/X/feed/`` per category;
  ``/comments/feed/`` and ``/YYYY/MM/DD/slug/feed/``: latest comments, linked
  as ``get_comment_link()`` does (``comment-page-N/#comment-ID`` on older pages).
"""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime
from html import escape

from crawler.replica.wordpress.discussion import comment_page_url, page_of
from crawler.replica.wordpress.model import (
    ANCHOR,
    FEED_ITEMS,
    NEWS_WINDOW_HOURS,
    SITEMAP_CACHED,
    SITEMAP_ENTRIES,
    Comment,
    Post,
    Site,
)
from crawler.replica.wordpress.singles import slug_of
from crawler.replica.wordpress.theme import WP_VERSION

XML = '<?xml version="1.0" encoding="UTF-8"?>'
URLSET = ('<urlset xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
          'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" '
          'xsi:schemaLocation="http://www.sitemaps.org/schemas/sitemap/0.9 '
          'http://www.sitemaps.org/schemas/sitemap/0.9/sitemap.xsd" '
          'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')


def robots_txt(home: str) -> bytes:
    return (f"User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
            f"Sitemap: {home}sitemap_index.xml\nSitemap: {home}news-sitemap.xml\n"
            f"Sitemap: {home}wp-sitemap.xml\n").encode()


def _utc(when: datetime) -> str:
    return when.astimezone(timezone.utc).isoformat()


def _stylesheet(home: str) -> str:
    return f'{XML}<?xml-stylesheet type="text/xsl" href="//{home.split("//", 1)[1]}main-sitemap.xsl"?>\n'


def _indexed(site: Site) -> list[Post]:
    return [p for p in site.posts if p.post_type == "post" and not p.noindex and p.published <= SITEMAP_CACHED]


def post_sitemaps(site: Site) -> list[list[tuple[str, datetime, Post | None]]]:
    """The entries of each post sitemap: path, lastmod, post (None for the deleted one), oldest change first."""
    entries: list[tuple[str, datetime, Post | None]] = [(p.path, p.modified, p) for p in _indexed(site)]
    entries += [(path, lastmod, None) for path, lastmod in site.gone_paths]
    entries.sort(key=lambda entry: entry[1])
    return [entries[i : i + SITEMAP_ENTRIES] for i in range(0, len(entries), SITEMAP_ENTRIES)]


def _entry(home: str, path: str, lastmod: datetime, image: str | None = None) -> str:
    base = home.rstrip("/")
    picture = f"\n\t\t<image:image>\n\t\t\t<image:loc>{base}{image}</image:loc>\n\t\t</image:image>" if image else ""
    return f"\t<url>\n\t\t<loc>{escape(base + path)}</loc>\n\t\t<lastmod>{_utc(lastmod)}</lastmod>{picture}\n\t</url>\n"


def sitemap(site: Site, home: str, name: str) -> bytes | None:
    """The Yoast sitemap called *name* (``post-sitemap2``, ``page-sitemap``…), or None if there is none."""
    if name.startswith("post-sitemap"):
        number = int(name.removeprefix("post-sitemap") or "1")
        chunks = post_sitemaps(site)
        if not 1 <= number <= len(chunks):
            return None
        body = "".join(_entry(home, path, lastmod, post.image.file if post and post.image else None)
                       for path, lastmod, post in chunks[number - 1])
    elif name == "page-sitemap":
        body = _entry(home, "/", site.posts[0].modified) + "".join(
            _entry(home, page.path, page.modified) for page in site.pages)
    elif name == "dossier-sitemap":
        body = "".join(_entry(home, p.path, p.modified) for p in site.posts if p.post_type == "dossier")
    elif name == "category-sitemap":
        body = "".join(_entry(home, f"/category/{c.slug}/", max(p.modified for p in site.posts if p.category is c))
                       for c in site.categories if c.in_menu)
    elif name == "post_tag-sitemap":
        body = "".join(_entry(home, f"/tag/{slug_of(tag)}/", max(p.modified for p in site.posts if tag in p.tags))
                       for tag in site.tags())
    elif name == "author-sitemap":
        body = "".join(_entry(home, f"/author/{a.slug}/", max(p.modified for p in site.posts if p.author is a))
                       for a in site.authors if any(p.author is a and p.category.on_home for p in site.posts))
    else:
        return None
    return f"{_stylesheet(home)}{URLSET}\n{body}</urlset>\n<!-- XML Sitemap generated by Yoast SEO -->".encode()


def sitemap_index(site: Site, home: str) -> bytes:
    chunks = post_sitemaps(site)
    names = [("post-sitemap" + (str(n) if n > 1 else ""), max(entry[1] for entry in chunk))
             for n, chunk in enumerate(chunks, 1)]
    names += [("page-sitemap", site.posts[0].modified),
              ("dossier-sitemap", max(p.modified for p in site.posts if p.post_type == "dossier")),
              ("category-sitemap", site.posts[0].modified), ("post_tag-sitemap", site.posts[0].modified),
              ("author-sitemap", site.posts[0].modified)]
    body = "".join(f"\t<sitemap>\n\t\t<loc>{home}{name}.xml</loc>\n\t\t<lastmod>{_utc(lastmod)}</lastmod>"
                   "\n\t</sitemap>\n" for name, lastmod in names)
    return (f'{_stylesheet(home)}<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}'
            "</sitemapindex>\n<!-- XML Sitemap generated by Yoast SEO -->").encode()


def news_sitemap(site: Site, home: str) -> bytes:
    recent = [p for p in site.posts if p.post_type == "post" and not p.noindex
              and (ANCHOR - p.published).total_seconds() <= NEWS_WINDOW_HOURS * 3600]
    body = "".join(f"""<url>
	<loc>{home.rstrip('/')}{p.path}</loc>
	<news:news>
		<news:publication>
			<news:name>{escape(site.name)}</news:name>
			<news:language>{p.language[:2]}</news:language>
		</news:publication>
		<news:publication_date>{p.published.isoformat()}</news:publication_date>
		<news:title><![CDATA[{p.title}]]></news:title>
	</news:news>
</url>
""" for p in recent)
    return (f'{XML}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
            f'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n{body}</urlset>').encode()


def feed_posts(site: Site, category: str | None = None) -> list[Post]:
    posts = [p for p in site.posts if p.post_type == "post"]
    if category is None:
        return [p for p in posts if p.category.in_feeds][:FEED_ITEMS]
    return [p for p in posts if p.category.slug == category][:FEED_ITEMS]


def _rss_date(when: datetime) -> str:
    return format_datetime(when.astimezone(timezone.utc)).replace("-0000", "+0000")


def _excerpt(post: Post) -> str:
    return " ".join((post.standfirst or "").split()[:55]) + " [&#8230;]"


def rss(site: Site, home: str, posts: list[Post], self_url: str, title: str) -> bytes:
    items = "".join(f"""	<item>
		<title>{escape(p.title)}</title>
		<link>{home.rstrip('/')}{p.path}</link>
		<comments>{home.rstrip('/')}{p.path}#respond</comments>
		<dc:creator><![CDATA[{p.author.name}]]></dc:creator>
		<pubDate>{_rss_date(p.published)}</pubDate>
		<category><![CDATA[{p.category.name}]]></category>
{''.join(f'		<category><![CDATA[{tag}]]></category>{chr(10)}' for tag in p.tags)}\
		<guid isPermaLink="false">{home}?p={p.id}</guid>
		<description><![CDATA[{_excerpt(p)}]]></description>
		<content:encoded><![CDATA[{''.join(p.paragraphs)}]]></content:encoded>
		<wfw:commentRss>{home.rstrip('/')}{p.path}feed/</wfw:commentRss>
		<slash:comments>{len(p.comments)}</slash:comments>
	</item>
""" for p in posts)
    built = max((p.modified for p in posts), default=ANCHOR)
    return f"""{XML}<rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>{escape(title)}</title>
	<atom:link href="{self_url}" rel="self" type="application/rss+xml" />
	<link>{home.rstrip('/')}</link>
	<description>{escape(site.tagline)}</description>
	<lastBuildDate>{_rss_date(built)}</lastBuildDate>
	<language>en-US</language>
	<sy:updatePeriod>
	hourly	</sy:updatePeriod>
	<sy:updateFrequency>
	1	</sy:updateFrequency>
	<generator>https://wordpress.org/?v={WP_VERSION}</generator>
{items}</channel>
</rss>
""".encode()


def atom(site: Site, home: str, posts: list[Post]) -> bytes:
    z = lambda when: when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    entries = "".join(f"""	<entry>
		<author>
			<name>{escape(p.author.name)}</name>
		</author>
		<title type="html"><![CDATA[{p.title}]]></title>
		<link rel="alternate" type="text/html" href="{home.rstrip('/')}{p.path}" />
		<id>{home}?p={p.id}</id>
		<updated>{z(p.modified)}</updated>
		<published>{z(p.published)}</published>
		<category scheme="{home.rstrip('/')}" term="{escape(p.category.name)}" />
		<summary type="html"><![CDATA[{_excerpt(p)}]]></summary>
		<link rel="replies" type="text/html" href="{home.rstrip('/')}{p.path}#comments" thr:count="{len(p.comments)}" />
		<link rel="replies" type="application/atom+xml" href="{home.rstrip('/')}{p.path}feed/atom/"
			thr:count="{len(p.comments)}" />
		<thr:total>{len(p.comments)}</thr:total>
	</entry>
""" for p in posts)
    updated = max((p.modified for p in posts), default=ANCHOR)
    return f"""{XML}<feed
  xmlns="http://www.w3.org/2005/Atom"
  xmlns:thr="http://purl.org/syndication/thread/1.0"
  xml:lang="en-US"
  >
	<title type="text">{escape(site.name)}</title>
	<subtitle type="text">{escape(site.tagline)}</subtitle>

	<updated>{z(updated)}</updated>

	<link rel="alternate" type="text/html" href="{home.rstrip('/')}" />
	<id>{home}feed/atom/</id>
	<link rel="self" type="application/atom+xml" href="{home}feed/atom/" />

	<generator uri="https://wordpress.org/" version="{WP_VERSION}">WordPress</generator>
{entries}</feed>
""".encode()


def comments_rss(site: Site, home: str, post: Post | None) -> bytes:
    """The latest comments of the site, or of *post*, as RSS 2.0 (WordPress comments only, no pings)."""
    pool: list[tuple[Post, Comment]] = [(p, c) for p in ([post] if post else site.posts) if p.discussion == "wordpress"
                                        for c in p.comments if not c.pingback]
    pool.sort(key=lambda pc: pc[1].when, reverse=True)
    items = ""
    for p, c in pool[:FEED_ITEMS]:
        link = f"{comment_page_url(home.rstrip('/') + p.path, p, page_of(p, c))}#comment-{c.id}"
        items += f"""	<item>
		<title>Comment on {escape(p.title)} by {escape(c.author)}</title>
		<link>{link}</link>
		<dc:creator><![CDATA[{c.author}]]></dc:creator>
		<pubDate>{_rss_date(c.when)}</pubDate>
		<guid isPermaLink="false">{home}?p={p.id}#comment-{c.id}</guid>
		<description><![CDATA[{c.html}]]></description>
	</item>
"""
    title = f"Comments on: {post.title}" if post else f"Comments for {site.name}"
    self_url = f"{home.rstrip('/')}{post.path}feed/" if post else f"{home}comments/feed/"
    return f"""{XML}<rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	>
<channel>
	<title>{escape(title)}</title>
	<atom:link href="{self_url}" rel="self" type="application/rss+xml" />
	<link>{home.rstrip('/')}</link>
	<description>{escape(site.tagline)}</description>
	<lastBuildDate>{_rss_date(pool[0][1].when if pool else ANCHOR)}</lastBuildDate>
	<generator>https://wordpress.org/?v={WP_VERSION}</generator>
{items}</channel>
</rss>
""".encode()

"""The page frame of the WordPress replica's theme (in the manner of Twenty Twenty-One).

Every HTML page is ``document()``: WordPress's ``wp_head`` output (feed
links, REST API and oEmbed discovery, shortlink, generator) around Yoast's
block, the masthead with the primary menu (categories plus the dossier
archive), the main column, a sidebar (photo of the week, monthly archives,
categories) and the footer menu (About, Contact, Privacy Policy).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from html import escape
from importlib import resources

from crawler.replica.wordpress.model import Site

WP_VERSION = "6.4.3"
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
MONTHS_DE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
             "November", "Dezember")


@functools.cache
def fragment(name: str) -> str:
    """A piece of static markup from ``data/NAME.html`` (``{placeholders}`` for ``str.format``)."""
    return resources.files(__package__).joinpath(f"data/{name}.html").read_text("utf-8")


def attr(value: str) -> str:
    return escape(value, quote=True)


def text(value: str) -> str:
    return escape(value, quote=False)


def wp_title(title: str) -> str:
    """A title as ``the_title()`` prints it (``wptexturize``'s apostrophe)."""
    return text(title).replace("'", "&#8217;")


def long_date(when: datetime, language: str = "en-US") -> str:
    """``F j, Y`` (``j. F Y`` under the German locale)."""
    if language.startswith("de"):
        return f"{when.day}. {MONTHS_DE[when.month - 1]} {when.year}"
    return f"{MONTHS_EN[when.month - 1]} {when.day}, {when.year}"


def clock(when: datetime) -> str:
    """``g:i a``: 9:05 am."""
    return f"{(when.hour % 12) or 12}:{when.minute:02d} {'am' if when.hour < 12 else 'pm'}"


@dataclass
class Frame:
    """What a page puts into the frame besides its main column."""

    yoast: str
    body_class: str
    main: str
    language: str = "en-US"
    extra_head: str = ""  # a singular page's shortlink, oEmbed links, its comments feed, a category's feed


def document(site: Site, home: str, frame: Frame, sidebar: str) -> str:
    feeds = (
        f'<link rel="alternate" type="application/rss+xml" title="{attr(site.name)} &raquo; Feed" '
        f'href="{home}feed/" />\n'
        f'<link rel="alternate" type="application/rss+xml" title="{attr(site.name)} &raquo; Comments Feed" '
        f'href="{home}comments/feed/" />\n'
        f'<link rel="alternate" type="application/atom+xml" title="{attr(site.name)} &raquo; Atom" '
        f'href="{home}feed/atom/" />'
    )
    menu = "".join(
        f'<li id="menu-item-{100 + i}" class="menu-item menu-item-type-taxonomy menu-item-object-category '
        f'menu-item-{100 + i}"><a href="{home}category/{c.slug}/">{text(c.name)}</a></li>'
        for i, c in enumerate(c for c in site.categories if c.in_menu)
    ) + (f'<li id="menu-item-140" class="menu-item menu-item-type-post_type_archive"><a href="{home}dossier/">'
         "Dossiers</a></li>")
    return f"""<!doctype html>
<html lang="{frame.language}" >
<head>
	<meta charset="UTF-8" />
	<meta name="viewport" content="width=device-width, initial-scale=1.0" />
	{frame.yoast}
{feeds}
{frame.extra_head}
<link rel='stylesheet' id='twenty-twenty-one-style-css'
	href='{home}wp-content/themes/twentytwentyone/style.css?ver=2.1' media='all' />
<link rel="https://api.w.org/" href="{home}wp-json/" />
<link rel="EditURI" type="application/rsd+xml" title="RSD" href="{home}xmlrpc.php?rsd" />
<meta name="generator" content="WordPress {WP_VERSION}" />
</head>

<body class="{frame.body_class} wp-embed-responsive is-light-theme no-js singular has-main-navigation">
<div id="page" class="site">
	<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
	<header id="masthead" class="site-header has-title-and-tagline has-menu">
		<div class="site-branding">
			<p class="site-title"><a href="{home}" rel="home">{text(site.name)}</a></p>
			<p class="site-description">{text(site.tagline)}</p>
		</div><!-- .site-branding -->
		<nav id="site-navigation" class="primary-navigation" aria-label="Primary menu">
			<div class="primary-menu-container"><ul id="primary-menu-list" class="menu-wrapper">{menu}</ul></div>
		</nav><!-- #site-navigation -->
	</header><!-- #masthead -->
	<div id="content" class="site-content">
		<div id="primary" class="content-area">
			<main id="main" class="site-main">
{frame.main}
			</main><!-- #main -->
		</div><!-- #primary -->
	</div><!-- #content -->
{sidebar}
	<footer id="colophon" class="site-footer">
		<nav aria-label="Secondary menu" class="footer-navigation">
			<ul class="footer-navigation-wrapper">
				<li class="menu-item"><a href="{home}about/"><span>About us</span></a></li>
				<li class="menu-item"><a href="{home}contact/"><span>Contact</span></a></li>
				<li class="menu-item"><a href="{home}privacy-policy/"><span>Privacy Policy</span></a></li>
			</ul><!-- .footer-navigation-wrapper -->
		</nav><!-- .footer-navigation -->
		<div class="site-info">
			<div class="site-name">&copy; {text(site.name)}</div>
			<div class="powered-by">Proudly powered by <a href="https://wordpress.org/">WordPress</a>.</div>
		</div><!-- .site-info -->
	</footer><!-- #colophon -->
</div><!-- #page -->
<script src="{home}wp-includes/js/comment-reply.min.js?ver={WP_VERSION}" id="comment-reply-js" async
	data-wp-strategy="async"></script>
</body>
</html>
"""


def sidebar(site: Site, home: str) -> str:
    """The widget area: the photo of the week (an attachment page), monthly archives, categories."""
    photo = next(post.image for post in site.posts if post.image is not None and post.post_type == "post"
                 and post.slug == "the-long-road-to-a-european-air-defence-shield")
    months = sorted({(p.published.year, p.published.month) for p in site.posts if p.post_type == "post"
                     and p.category.on_home}, reverse=True)
    archives = "".join(f"<li><a href='{home}{y}/{m:02d}/'>{MONTHS_EN[m - 1]} {y}</a></li>" for y, m in months)
    # The editors pasted these links into a Custom HTML widget: one before the post's slug changed, one
    # without its trailing slash. WordPress answers both with a 301 (wp_old_slug_redirect, redirect_canonical).
    picks = "".join(f'<li><a href="{home.rstrip("/")}{path}">{text(title)}</a></li>' for path, title in (
        ("/2026/01/20/frigate-trials-delayed/", "Frigate trials delayed"),
        ("/2026/02/01/night-vote-in-the-bundestag-clears-the-way-for-new-frigates", "The night vote on the frigates"),
    ))
    categories = "".join(
        f'<li class="cat-item cat-item-{10 + i}"><a href="{home}category/{c.slug}/">{text(c.name)}</a></li>'
        for i, c in enumerate(c for c in site.categories if c.in_menu)
    )
    return f"""	<aside class="widget-area">
		<section id="media_image-2" class="widget widget_media_image"><h2 class="widget-title">Photo of the week</h2>
			<a href="{home.rstrip('/')}{photo.path}"><img width="300" height="200" src="{home.rstrip('/')}{photo.file}"
				class="image wp-image-{photo.id} attachment-medium size-medium" alt="" decoding="async"
				loading="lazy" /></a>
		</section>
		<section id="custom_html-3" class="widget_text widget widget_custom_html">
			<h2 class="widget-title">Editor&#8217;s picks</h2>
			<div class="textwidget custom-html-widget"><ul>{picks}</ul></div></section>
		<section id="archives-2" class="widget widget_archive"><h2 class="widget-title">Archives</h2>
			<nav aria-label="Archives"><ul>{archives}</ul></nav></section>
		<section id="categories-2" class="widget widget_categories"><h2 class="widget-title">Categories</h2>
			<nav aria-label="Categories"><ul>{categories}</ul></nav></section>
	</aside><!-- .widget-area -->
"""

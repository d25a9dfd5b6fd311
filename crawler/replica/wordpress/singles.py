"""Singular pages of the WordPress replica: posts (and their comment pages), dossiers, pages, attachments, the 404.

A post page shows its headline, standfirst, byline with ``<time datetime>``
(local offset; Yoast's meta and JSON-LD say the same instant in UTC), the
featured image, the content blocks, categories and tags, the author box,
the comment section of its vocabulary, and links to the previous and next
posts. A dossier (a custom post type) shows no date anywhere and carries the
theme's own JSON-LD instead of Yoast's graph.
"""

from __future__ import annotations

import json
import re
from html import escape

from crawler.replica.wordpress import yoast
from crawler.replica.wordpress.discussion import forum, letters, wordpress_comments
from crawler.replica.wordpress.model import Image, Post, Site, StaticPage
from crawler.replica.wordpress.theme import Frame, attr, fragment, long_date, text, wp_title
from crawler.replica.wordpress.writer import texturize

_TAG = re.compile(r"<[^>]+>")


def slug_of(term: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def _plain(blocks: list[str]) -> str:
    return " ".join(_TAG.sub("", block) for block in blocks)


def _excerpt(post: Post) -> str:
    words = (post.standfirst or _plain(post.paragraphs[:1])).split()
    return " ".join(words[:30])


def post_page(site: Site, home: str, post: Post, comment_page: int) -> Frame:
    """The post at ``post.path`` (*comment_page* its newest comment page) or at ``comment-page-N/``."""
    base = home.rstrip("/")
    post_url = base + post.path
    canonical = post_url  # Yoast points every comment page's canonical at the post itself
    title = f"{post.title} - {site.name}"
    words = len(_plain(post.paragraphs).split())
    published = post.published if post.dated else None
    yoast_head = yoast.Head(
        title=title, description=_excerpt(post), canonical=canonical, locale=post.language.replace("-", "_"),
        robots=yoast.NOINDEX if post.noindex else yoast.INDEX, published=published,
        modified=post.modified if post.dated else None, author=post.author.name,
        image=base + post.image.file if post.image else None, reading_minutes=max(1, words // 200),
        graph=[] if post.post_type == "dossier" else yoast.post_graph(
            site, home, post, post_url, title, _excerpt(post), words, len(post.comments)),
    )
    theme_jsonld = ""
    if post.post_type == "dossier":
        data = {"@context": "https://schema.org", "@type": "Article", "headline": post.title,
                "author": {"@type": "Person", "name": post.author.name}, "publisher": site.name}
        theme_jsonld = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    extra = (f"<link rel='shortlink' href='{home}?p={post.id}' />\n"
             f'<link rel="alternate" type="application/json+oembed" '
             f'href="{home}wp-json/oembed/1.0/embed?url={post_url}" />\n'
             f'<link rel="alternate" type="application/rss+xml" title="{attr(site.name)} &raquo; {attr(post.title)} '
             f'Comments Feed" href="{post_url}feed/" />\n{theme_jsonld}')
    number = comment_page or post.comment_pages
    main = _article(site, home, post) + _discussion(post, post_url, home, number) + _adjacent(site, home, post)
    kind = "dossier" if post.post_type == "dossier" else "post"
    body_class = f"{kind}-template-default single single-{kind} postid-{post.id} single-format-standard"
    return Frame(yoast.render(yoast_head, site), body_class, main, post.language, extra)


def _byline(home: str, post: Post) -> str:
    author = (f'<span class="byline">By <span class="author vcard"><a class="url fn n" '
              f'href="{home}author/{post.author.slug}/">{text(post.author.name)}</a></span></span>')
    if not post.dated:
        return f'<div class="entry-meta">{author}</div>'
    dates = (f'<span class="posted-on"><time class="entry-date published" datetime="{post.published.isoformat()}">'
             f'{long_date(post.published, post.language)}</time><time class="updated" '
             f'datetime="{post.modified.isoformat()}">{long_date(post.modified, post.language)}</time></span>')
    comments = ""
    if post.comments:
        label = "Leserbriefe" if post.discussion == "leserbrief" else "Comments"
        comments = (f' <span class="comments-link"><a href="{home.rstrip("/")}{post.path}#comments">'
                    f"{len(post.comments)} {label}</a></span>")
    return f'<div class="entry-meta">{author} {dates}{comments}</div>'


def figure(home: str, image: Image, link_to_page: bool) -> str:
    base = home.rstrip("/")
    img = (f'<img decoding="async" width="1024" height="683" src="{base}{image.file}" alt="" '
           f'class="wp-image-{image.id}" sizes="(max-width: 1024px) 100vw, 1024px" />')
    if link_to_page:
        img = f'<a href="{base}{image.path}">{img}</a>'
    return (f'<figure class="wp-block-image size-large">{img}<figcaption class="wp-element-caption">'
            f"{texturize(image.caption)}</figcaption></figure>")


def _article(site: Site, home: str, post: Post) -> str:
    blocks = list(post.paragraphs)
    thumbnail = ""
    if post.image is not None:
        thumbnail = (f'<figure class="post-thumbnail"><img width="1200" height="800" '
                     f'src="{home.rstrip("/")}{post.image.file}" class="attachment-post-thumbnail size-post-thumbnail '
                     'wp-post-image" alt="" decoding="async" /></figure>')
        if post.slug == "the-long-road-to-a-european-air-defence-shield":
            blocks.insert(2, figure(home, post.image, link_to_page=True))
    standfirst = f'<p class="entry-standfirst">{texturize(post.standfirst)}</p>' if post.standfirst else ""
    tags = ", ".join(f'<a href="{home}tag/{slug_of(tag)}/" rel="tag">{text(tag)}</a>' for tag in post.tags)
    taxonomies = (f'<span class="cat-links">Categorized as <a href="{home}category/{post.category.slug}/" '
                  f'rel="category tag">{text(post.category.name)}</a> </span>')
    if tags:
        taxonomies += f'<span class="tags-links">Tagged {tags}</span>'
    content = "\n\n".join(blocks)
    classes = (f"post-{post.id} {post.post_type} type-{post.post_type} status-publish format-standard hentry "
               f"category-{post.category.slug} entry")
    return f"""<article id="post-{post.id}" class="{classes}">
	<header class="entry-header alignwide">
		<h1 class="entry-title">{wp_title(post.title)}</h1>
		{standfirst}
		{_byline(home, post)}
		{thumbnail}
	</header><!-- .entry-header -->
	<div class="entry-content">
{content}
	</div><!-- .entry-content -->
	<footer class="entry-footer default-max-width">
		<div class="post-taxonomies">{taxonomies}</div>
	</footer><!-- .entry-footer -->
	<div class="author-bio show-avatars">
		<div class="author-bio-content">
			<h2 class="author-title">By {text(post.author.name)}</h2>
			<p class="author-description">{text(post.author.bio)}</p>
			<a class="author-link" href="{home}author/{post.author.slug}/" rel="author">View all of
				{text(post.author.name)}&#8217;s posts.</a>
		</div>
	</div>
</article><!-- #post-{post.id} -->
"""


def _discussion(post: Post, post_url: str, home: str, number: int) -> str:
    if post.post_type == "dossier":
        return ""
    if post.discussion == "leserbrief":
        return letters(post)
    if post.discussion == "forum":
        return forum(post, home)
    return wordpress_comments(post, post_url, number)


def _adjacent(site: Site, home: str, post: Post) -> str:
    """``the_post_navigation()``: the previous and next post by date, whatever their category."""
    posts = [p for p in site.posts if p.post_type == post.post_type]
    index = posts.index(post)
    links = []
    for cls, label, other in (("nav-previous", "Previous post", posts[index + 1] if index + 1 < len(posts) else None),
                              ("nav-next", "Next post", posts[index - 1] if index > 0 else None)):
        if other is not None:
            rel = "prev" if cls == "nav-previous" else "next"
            links.append(f'<div class="{cls}"><a href="{home.rstrip("/")}{other.path}" rel="{rel}"><p class="meta-nav">'
                         f'{label}</p><p class="post-title">{wp_title(other.title)}</p></a></div>')
    return (f'<nav class="navigation post-navigation" aria-label="Posts"><h2 class="screen-reader-text">Post navigation'
            f'</h2><div class="nav-links">{"".join(links)}</div></nav>')


def static_page(site: Site, home: str, page: StaticPage) -> Frame:
    url = home.rstrip("/") + page.path
    title = f"{page.title} - {site.name}"
    description = page.paragraphs[0][:150]
    head = yoast.Head(title=title, description=description, canonical=url, modified=page.modified,
                      graph=yoast.page_graph(site, home, url, title, page.title, page.published, page.modified,
                                             description))
    content = "\n".join(f"<p>{texturize(p)}</p>" for p in page.paragraphs)
    if page.contact_form:
        content += "\n" + fragment("contact-form")
    main = f"""<article id="post-{page.id}" class="post-{page.id} page type-page status-publish hentry entry">
	<header class="entry-header alignwide"><h1 class="entry-title">{wp_title(page.title)}</h1></header>
	<div class="entry-content">
{content}
	</div><!-- .entry-content -->
</article><!-- #post-{page.id} -->
"""
    return Frame(yoast.render(head, site), f"page-template-default page page-id-{page.id}", main,
                 extra_head=f"<link rel='shortlink' href='{home}?p={page.id}' />")


def attachment_page(site: Site, home: str, image: Image) -> Frame:
    base = home.rstrip("/")
    url = base + image.path
    title = f"{image.title} - {site.name}"
    head = yoast.Head(title=title, description="", canonical=url, modified=image.uploaded, image=base + image.file,
                      graph=yoast.page_graph(site, home, url, title, image.title, image.uploaded, image.uploaded, "",
                                             image=image))
    main = f"""<article id="post-{image.id}" class="post-{image.id} attachment type-attachment status-inherit hentry
	entry">
	<header class="entry-header alignwide"><h1 class="entry-title">{wp_title(image.title)}</h1></header>
	<div class="entry-content">
		<figure class="wp-block-image"><img width="1200" height="800" src="{base}{image.file}"
			class="attachment-full size-full" alt="" decoding="async" />
		<figcaption class="wp-caption-text">{texturize(image.caption)}</figcaption></figure>
	</div><!-- .entry-content -->
	<footer class="entry-footer default-max-width"><span class="full-size-link"><span class="screen-reader-text">Full
		size</span><a href="{base}{image.file}">1200 &times; 800</a></span></footer>
</article>
"""
    return Frame(yoast.render(head, site), f"attachment attachment-template-default single single-attachment "
                 f"postid-{image.id} attachmentid-{image.id} attachment-jpeg", main,
                 extra_head=f"<link rel='shortlink' href='{home}?p={image.id}' />")


def not_found(site: Site) -> Frame:
    main = fragment("not-found")
    yoast_block = (f"{yoast.BANNER}\n\t<title>Page not found - {escape(site.name)}</title>\n"
                   '\t<meta name="robots" content="noindex, follow" />\n\t<!-- / Yoast SEO plugin. -->')
    return Frame(yoast_block, "error404 hfeed", main)


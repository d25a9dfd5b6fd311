"""Archive pages of the WordPress replica: the home page, categories, tags, authors, dates and the dossier archive.

Each lists its posts newest first, ten a page (``/page/N/`` after the
archive's path; ``/page/1/`` answers 301 to the archive itself, a page past
the last is a 404), each post as a teaser: headline link, excerpt with a
"Continue reading" link, ``<time datetime>`` (not for dossiers), category.
Yoast gives archives ``og:type`` website, a ``CollectionPage`` (an author a
``ProfilePage``), and ``rel=prev``/``rel=next`` links.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.replica.wordpress import yoast
from crawler.replica.wordpress.model import POSTS_PER_PAGE, Post, Site
from crawler.replica.wordpress.singles import slug_of
from crawler.replica.wordpress.theme import MONTHS_EN, Frame, long_date, text, wp_title
from crawler.replica.wordpress.writer import texturize


@dataclass(frozen=True)
class Archive:
    """One archive: its path, heading, title for ``<title>``, body class, graph type and posts."""

    path: str
    heading: str
    title: str
    body_class: str
    page_type: str
    posts: list[Post]
    description: str = ""
    language: str = "en-US"
    extra_head: str = ""

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.posts) // POSTS_PER_PAGE))


def archive_for(site: Site, home: str, path: str) -> Archive | None:
    """The archive at *path* (without its ``page/N/`` part), or None."""
    posts = [p for p in site.posts if p.post_type == "post"]
    listed = [p for p in posts if p.category.on_home]  # the category-excluder plugin hides the rest from archives
    parts = path.strip("/").split("/") if path != "/" else []
    if not parts:
        return Archive("/", "", f"{site.name} - {site.tagline}", "home blog", "CollectionPage", listed)
    kind, rest = parts[0], parts[1:]
    if kind == "category" and len(rest) == 1:
        category = next((c for c in site.categories if c.slug == rest[0]), None)
        if category is None:
            return None
        feed = (f'<link rel="alternate" type="application/rss+xml" title="{text(site.name)} &raquo; '
                f'{text(category.name)} Category Feed" href="{home}category/{category.slug}/feed/" />')
        return Archive(path, f"Category: <span>{text(category.name)}</span>", f"{category.name} Archives - {site.name}",
                       f"archive category category-{category.slug}", "CollectionPage",
                       [p for p in posts if p.category is category], category.description, category.language, feed)
    if kind == "tag" and len(rest) == 1:
        tagged = [p for p in listed if rest[0] in {slug_of(tag) for tag in p.tags}]
        if not tagged:
            return None
        name = next(tag for tag in tagged[0].tags if slug_of(tag) == rest[0])
        return Archive(path, f"Tag: <span>{text(name)}</span>", f"{name} Archives - {site.name}",
                       f"archive tag tag-{rest[0]}", "CollectionPage", tagged)
    if kind == "author" and len(rest) == 1:
        author = next((a for a in site.authors if a.slug == rest[0]), None)
        if author is None:
            return None
        return Archive(path, f"Author: <span>{text(author.name)}</span>", f"{author.name}, Author at {site.name}",
                       f"archive author author-{author.slug}", "ProfilePage",
                       [p for p in listed if p.author is author], author.bio)
    if kind == "dossier" and not rest:
        return Archive(path, "Archives: <span>Dossiers</span>", f"Dossiers Archive - {site.name}",
                       "archive post-type-archive post-type-archive-dossier", "CollectionPage",
                       [p for p in site.posts if p.post_type == "dossier"])
    if all(part.isdigit() for part in parts) and len(parts[0]) == 4 and len(parts) <= 3:
        return _date_archive(site, listed, path, [int(part) for part in parts])
    return None


def _date_archive(site: Site, posts: list[Post], path: str, numbers: list[int]) -> Archive | None:
    fields = ("year", "month", "day")
    chosen = [p for p in posts if all(getattr(p.published, f) == n for f, n in zip(fields, numbers, strict=False))]
    if not chosen:
        return None
    first = chosen[0].published
    label = {1: ("Year", str(first.year)), 2: ("Month", f"{MONTHS_EN[first.month - 1]} {first.year}"),
             3: ("Day", long_date(first))}[len(numbers)]
    return Archive(path, f"{label[0]}: <span>{label[1]}</span>", f"{label[1]} - {site.name}", "archive date",
                   "CollectionPage", chosen)


def archive_page(site: Site, home: str, archive: Archive, number: int) -> Frame:
    base = home.rstrip("/")
    url = base + archive.path + (f"page/{number}/" if number > 1 else "")
    page_url = lambda n: base + archive.path + (f"page/{n}/" if n > 1 else "")  # noqa: E731
    head = yoast.Head(
        title=archive.title if number == 1 else f"{archive.title.split(' - ')[0]} - Page {number} of "
        f"{archive.pages} - {site.name}",
        description=archive.description, canonical=url, og_type="website", locale=archive.language.replace("-", "_"),
        prev_url=page_url(number - 1) if number > 1 else None,
        next_url=page_url(number + 1) if number < archive.pages else None,
        graph=yoast.archive_graph(site, home, url, archive.title, archive.heading.split("<span>")[-1]
                                  .removesuffix("</span>") or "Home", archive.page_type, archive.language),
    )
    shown = archive.posts[(number - 1) * POSTS_PER_PAGE : number * POSTS_PER_PAGE]
    header = ""
    if archive.heading:
        description = ""
        if archive.description:
            description = f'<div class="archive-description"><p>{text(archive.description)}</p></div>'
        header = (f'<header class="page-header alignwide"><h1 class="page-title">{archive.heading}</h1>{description}'
                  "</header><!-- .page-header -->\n")
    teasers = "\n".join(_teaser(home, post) for post in shown)
    main = header + teasers + _pagination(archive, number, page_url)
    body_class = archive.body_class + (f" paged paged-{number}" if number > 1 else "")
    return Frame(yoast.render(head, site), body_class, main, archive.language, archive.extra_head)


def _teaser(home: str, post: Post) -> str:
    url = home.rstrip("/") + post.path
    excerpt = texturize(" ".join((post.standfirst or "").split()[:40]))
    posted = ""
    if post.dated:
        posted = (f'<span class="posted-on">Published <time class="entry-date published updated" '
                  f'datetime="{post.published.isoformat()}">{long_date(post.published, post.language)}</time></span>')
    classes = (f"post-{post.id} {post.post_type} type-{post.post_type} status-publish format-standard hentry "
               f"category-{post.category.slug} entry")
    title = wp_title(post.title)
    category = f'<a href="{home}category/{post.category.slug}/" rel="category tag">{text(post.category.name)}</a>'
    return f"""<article id="post-{post.id}" class="{classes}">
	<header class="entry-header"><h2 class="entry-title default-max-width"><a href="{url}">{title}</a></h2>
	</header><!-- .entry-header -->
	<div class="entry-content"><p>{excerpt}&hellip; <a class="more-link" href="{url}#more-{post.id}">Continue reading
		<span class="screen-reader-text">{title}</span></a></p></div><!-- .entry-content -->
	<footer class="entry-footer default-max-width">{posted}<div class="post-taxonomies"><span
		class="cat-links">Categorized as {category} </span></div></footer>
</article><!-- #post-{post.id} -->"""


def _pagination(archive: Archive, number: int, page_url) -> str:  # type: ignore[no-untyped-def]
    if archive.pages == 1:
        return ""
    links = []
    if number > 1:
        links.append(f'<a class="prev page-numbers" href="{page_url(number - 1)}">Previous</a>')
    for page in range(1, archive.pages + 1):
        if page == number:
            links.append(f'<span aria-current="page" class="page-numbers current">{page}</span>')
        elif page in (1, archive.pages) or abs(page - number) <= 1:
            links.append(f'<a class="page-numbers" href="{page_url(page)}">{page}</a>')
        elif not links[-1].startswith('<span class="page-numbers dots"'):
            links.append('<span class="page-numbers dots">&hellip;</span>')
    if number < archive.pages:
        links.append(f'<a class="next page-numbers" href="{page_url(number + 1)}">Next</a>')
    return ('\n<nav class="navigation pagination" aria-label="Posts">\n'
            '<h2 class="screen-reader-text">Posts navigation</h2>\n'
            f'<div class="nav-links">{"".join(links)}</div>\n</nav>\n')

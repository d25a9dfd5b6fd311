"""What a URL's shape and a page's own statements say about it being a news article (crawler.pages.evidence)."""

from __future__ import annotations

import json

import pytest
from conftest import SHARED
from lxml import html as lxml_html
from parsel import Selector

from crawler.pages.evidence import (
    UrlKind,
    article_evidence,
    comment_page_number,
    main_text_chars,
    url_kind,
    without_comment_page,
)

A = UrlKind.ARTICLE
L = UrlKind.LISTING
C = UrlKind.COMMENT_PAGE
S = UrlKind.SKIP
O = UrlKind.OTHER  # noqa: E741


@pytest.mark.parametrize(("url", "kind"), [
    # Articles: a date then a slug, a long slug, a numeric id.
    ("https://news.example/2026/03/05/the-long-road-to-a-european-air-defence-shield/", A),
    ("https://news.example/2026/03/the-long-road/", A),
    ("https://news.example/world/europe/2026-03-05-berlin-talks", A),
    ("https://www.spiegel.example/politik/deutschland/wehrpflicht-was-die-plaene-bedeuten-a-1234567.html", A),
    ("https://en.topwar.example/179625-a-source-reveals-the-kremlins-reaction.html", A),
    ("https://news.example/news/123456", A),
    ("https://news.example/dossier/the-baltic-sea-cables-a-dossier/", A),
    ("https://news.example/world/europe/some-long-headline-slug-here", A),
    # Listings: the home page, pagination, categories, date archives.
    ("https://news.example/", L),
    ("https://news.example", L),
    ("https://news.example/page/3/", L),
    ("https://news.example/category/defence/", L),
    ("https://news.example/category/defence/page/2/", L),
    ("https://news.example/2026/03/", L),
    ("https://news.example/2026/", L),
    ("https://news.example/section/world", L),
    # Comment pages of an article.
    ("https://news.example/2026/03/05/slug-of-a-post/comment-page-2/", C),
    ("https://news.example/?p=1927&cpage=2", C),
    # Never an article nor a section: feeds, tags, people, search, accounts, files, other schemes.
    ("https://news.example/feed/", S),
    ("https://news.example/2026/03/05/slug-of-a-post/feed/", S),
    ("https://news.example/tag/nato/", S),
    ("https://news.example/author/helen-carter/", S),
    ("https://news.example/?s=frigate", S),
    ("https://news.example/2026/03/05/slug-of-a-post/?replytocom=6168810", S),
    ("https://news.example/wp-login.php", S),
    ("https://news.example/wp-content/uploads/2026/03/patriot-launcher-at-dawn.jpg", S),
    ("https://news.example/sitemap_index.xml", S),
    ("https://news.example/reports/annual-report-2025.pdf", S),
    ("mailto:desk@news.example", S),
    ("ftp://news.example/file", S),
    # Nothing to tell: short paths.
    ("https://news.example/about/", O),
    ("https://news.example/privacy-policy/", O),
    ("https://news.example/dossier/", O),
])
def test_url_kind(url, kind):
    assert url_kind(url) is kind


@pytest.mark.parametrize(("url", "number", "article"), [
    ("https://n.example/2026/03/05/slug/comment-page-2/", 2, "https://n.example/2026/03/05/slug/"),
    ("https://n.example/2026/03/05/slug/comment-page-12/#comments", 12, "https://n.example/2026/03/05/slug/"),
    ("https://n.example/?p=1927&cpage=3", 3, "https://n.example/?p=1927"),
    ("https://n.example/node/42?comment_page=1", 1, "https://n.example/node/42"),
    ("https://n.example/2026/03/05/slug/", None, "https://n.example/2026/03/05/slug/"),
    ("https://n.example/2026/03/05/slug/#comment-6168810", None, "https://n.example/2026/03/05/slug/"),
])
def test_comment_pages(url, number, article):
    assert comment_page_number(url) == number
    assert without_comment_page(url) == article


def _page(head: str = "", body: str = "", jsonld: object | None = None) -> Selector:
    script = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld is not None else ""
    return Selector(text=f"<html><head>{head}{script}</head><body>{body}</body></html>")


LONG = "<p>" + "A paragraph of the article's own text, long enough to count. " * 6 + "</p>"
LONG_BODY = f"<article><h1>Headline</h1><div class='entry-content'>{LONG * 3}</div></article>"
SHORT_BODY = "<article><h1>Contact</h1><div><p>Write to us.</p></div></article>"
TEASERS = "".join(f"<article><h2><a href='/2026/03/0{n}/post-{n}-with-a-long-slug/'>Post {n}</a></h2>"
                  f"<p>Excerpt {n}.</p></article>" for n in range(1, 6))
POST = "https://news.example/2026/03/05/the-long-road-to-a-european-air-defence-shield/"
YOAST_POST_GRAPH = {"@context": "https://schema.org", "@graph": [
    {"@type": "NewsArticle", "headline": "Headline", "datePublished": "2026-03-05T09:12:00+00:00"},
    {"@type": "WebPage", "@id": POST}]}
YOAST_PAGE_GRAPH = {"@context": "https://schema.org", "@graph": [
    {"@type": "WebPage", "@id": "https://news.example/about/", "datePublished": "2025-09-01T10:00:00+00:00"}]}
OG_ARTICLE = '<meta property="og:type" content="article">'
PUBLISHED = '<meta property="article:published_time" content="2026-03-05T09:12:00+00:00">'


@pytest.mark.parametrize(("name", "selector", "url", "score", "is_article"), [
    ("a Yoast post", _page(OG_ARTICLE + PUBLISHED, LONG_BODY, YOAST_POST_GRAPH), POST, 10, True),
    # Yoast gives pages og:type article too; only the WebPage node and no date tell them apart.
    ("a Yoast About page, long", _page(OG_ARTICLE, LONG_BODY, YOAST_PAGE_GRAPH), "https://news.example/about/",
     2, False),
    ("a Yoast Contact page", _page(OG_ARTICLE, SHORT_BODY, YOAST_PAGE_GRAPH), "https://news.example/contact/",
     0, False),
    ("an attachment page under a post's URL", _page(OG_ARTICLE, "<article><h1>Photo</h1><img src='x.jpg'></article>",
                                                     YOAST_PAGE_GRAPH), POST + "photo-of-the-day/", 2, False),
    ("a home page", _page('<meta property="og:type" content="website">', TEASERS,
                          {"@context": "https://schema.org", "@type": "CollectionPage"}),
     "https://news.example/", -9, False),
    ("a listing with an ItemList of articles", _page("", TEASERS, {"@type": "ItemList", "itemListElement": [
        {"@type": "NewsArticle", "url": f"https://news.example/a{n}-long-article-slug-x"} for n in range(4)]}),
     "https://news.example/section/world", -8, False),
    # No metadata at all: the page's one <article> with a <time>, a dated URL and the text make it.
    ("a bare dated article", _page("", LONG_BODY.replace("</h1>", "</h1><time datetime='2026-03-05'>5 March</time>")),
     "https://news.example/2026/03/05/a-bare-article/", 5, True),
    ("a bare page with no date", _page("", LONG_BODY), "https://news.example/story", 1, False),
    ("microdata datePublished", _page("", LONG_BODY.replace("<h1>", "<span itemprop='datePublished'>x</span><h1>")),
     "https://news.example/12345-a-news-story.html", 5, True),
    # og:type website on every page (many news sites), but a stated date and a long text: an article.
    ("og:type website on an article", _page('<meta property="og:type" content="website"><meta name="date" '
                                            'content="2020-04-29T11:52:23">', LONG_BODY.replace("<article>", "<div>")),
     "https://news.example/investigativ/rheinmetall-datenleck-101.html", 3, True),
    ("a site's own publication meta, an id in the query", _page(OG_ARTICLE + '<meta name="zdf:publicationDate" '
                                                                'content="2020-09-08T17:33:18+02:00">', SHORT_BODY),
     "https://news.example/news_lang.php?ArtNr=335853", 4, True),
    ("a short item: its canonical URL's shape when the fetched one says nothing",
     _page(OG_ARTICLE + '<link rel="canonical" href="https://news.example/2026/03/05/the-story/">', SHORT_BODY),
     "https://news.example/s/abc", 3, True),
    # A related-articles block under a long text is no listing; a slug alone is weaker than a date or an id.
    ("related articles under a long text", _page("", LONG_BODY + TEASERS), "https://news.example/311510-podolski",
     3, True),
    ("a slug alone", _page("", LONG_BODY), "https://news.example/world/a-long-headline-slug-here", 2, False),
    ("a dossier: JSON-LD Article with no date", _page(OG_ARTICLE, LONG_BODY, {"@type": "Article", "headline": "D"}),
     "https://news.example/dossier/the-baltic-sea-cables-a-dossier/", 7, True),
    ("og:type profile", _page('<meta property="og:type" content="profile">', SHORT_BODY),
     "https://news.example/people/someone", -2, False),
])
def test_article_evidence(name, selector, url, score, is_article):
    evidence = article_evidence(selector, url)
    assert (evidence.score, evidence.is_article) == (score, is_article), f"{name}: {evidence}"


def test_evidence_says_why():
    evidence = article_evidence(_page(OG_ARTICLE + PUBLISHED, LONG_BODY, YOAST_POST_GRAPH), POST)
    assert evidence.reasons == ("JSON-LD NewsArticle", "og:type article", "publication date in article:published_time",
                                "URL with a date or an id", "main text 1097 characters",  # 3 paragraphs of 6 × 60 + 5
                                "a dated long text")


@pytest.mark.parametrize(("markup", "chars"), [
    ("<div><p>abc</p><p>de f</p></div><div><p>xyz</p></div>", 8),  # the element holding the most: "abc de f"
    ("<nav><p>" + "menu " * 100 + "</p></nav><div><p>text</p></div>", 4),  # navigation does not count
    ("<aside><p>" + "more " * 100 + "</p></aside>", 0),
    ("<div>Text broken<br>by <b>line</b> breaks<br>only.</div>", 32),  # "Text broken by line breaks only."
    ("<form id='aspnetForm'><div><p>" + "x" * 300 + "</p></div></form>", 300),  # ASP.NET wraps whole pages
    ("<div><p>one</p><div><p>inner</p></div></div>", 5),  # a nested block is its own element
])
def test_main_text_chars(markup, chars):
    assert main_text_chars(lxml_html.fromstring(f"<html><body>{markup}</body></html>")) == chars


REAL_PAGES = SHARED / "realworld-pages"
# The real pages that are not news articles by their own account: a forum thread that says og:type website.
NOT_ARTICLES = {"reddit.com.init.html"}


@pytest.mark.skipif(not (REAL_PAGES / "expected.json").is_file(),
                    reason="real-world pages not found: set NEWSARCHIVE_SHARED to the folder holding realworld-pages/")
def test_real_news_pages_score_as_articles():
    urls = {name: case["url"] for name, case in json.loads((REAL_PAGES / "expected.json").read_text("utf-8")).items()}
    judged = {path.name: article_evidence(Selector(text=path.read_bytes().decode("utf-8", "replace")),
                                          urls[path.name]) for path in sorted(REAL_PAGES.glob("*.html"))}
    assert len(judged) == 46
    wrong = {name: str(evidence) for name, evidence in judged.items() if evidence.is_article == (name in NOT_ARTICLES)}
    assert not wrong

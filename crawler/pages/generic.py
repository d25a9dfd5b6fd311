"""Generic article extraction: any news page into an :class:`~crawler.domain.items.Article`, no site profile.

Used by the ``urls`` spider and by reprocessing of WARCs from unknown sites.
Metadata comes first from what the page states about itself (JSON-LD,
OpenGraph, microdata; see :mod:`crawler.pages.metadata`); the title is the
one the visible headline and the metadata agree on, the publication date
the one most of the page's statements agree on (:mod:`crawler.pages.dates`),
both read by where they sit on the page (:mod:`crawler.pages.layout`).
Comments are found in the markup first (:mod:`crawler.pages.markup_comments`)
and their sections kept away from the main-text extractor, trafilatura
(:mod:`crawler.pages.maintext`, :mod:`crawler.pages.article_text`).

Identity: ``site`` is the host of the fetched URL (after redirects), without
port. ``id`` is ``{site}:{path}``, the path (and query, tracking parameters
removed) of the page's rel=canonical URL when it points to the same site,
otherwise of the fetched URL; percent-encoding and query order are
normalized, a trailing slash dropped. No hashing, so the id reads as the
page's address and stays the same across re-crawls and reprocessing.

Never raises on page content: whatever cannot be read becomes a warning.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl, urlencode, urlsplit

from parsel import Selector
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.utils.response import get_base_url
from w3lib.url import canonicalize_url

from crawler.domain.items import Article, Source, missing_warning
from crawler.domain.provenance import Capture
from crawler.pages.article_text import clean_paragraphs, extraction_copy, lede
from crawler.pages.date_candidates import datelines
from crawler.pages.dates import page_dates
from crawler.pages.decoding import decode_page
from crawler.pages.layout import locate, text_of
from crawler.pages.maintext import extract_main_text
from crawler.pages.markup_comments import page_comments
from crawler.pages.metadata import choose_title, read_metadata
from crawler.profiles import SiteProfile

logger = logging.getLogger(__name__)

_TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")
_HTML_START = (b"<!doctype html", b"<html", b"<head", b"<body")


class GenericArticlePage:
    """Turns one response of any news site into an :class:`Article`, with no I/O.

    Given, like every page class, the response, the site profile and the
    capture. *profile* is ``None`` for a site nobody described (the usual
    case): an undeclared charset is then guessed; a profile contributes its
    legacy encoding. Dates are chosen by agreement among everything the page
    states (:mod:`crawler.pages.dates`), relative to the capture time.
    """

    def __init__(self, response: Response, profile: SiteProfile | None, capture: Capture):
        self.response = response
        self.capture = capture
        self.fallback_encoding = profile.fallback_encoding if profile is not None else None

    def to_item(self) -> Article:
        """The article on the page, with a warning for every field that could not be read."""
        response = self.response
        article = bare_article(response.url, list(self.capture.sources))
        if not is_html(response):
            content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or "no Content-Type"
            article.warnings.append(f"not an HTML page ({content_type}, {len(response.body)} bytes); nothing extracted")
            return article
        try:
            self._fill(article, response)  # type: ignore[arg-type]  # is_html() checked it
        # Third-party parsers meet arbitrary bytes here; one unforeseen failure must cost this
        # page's fields, not the crawl or the line that accounts for the URL.
        except Exception as e:  # noqa: BLE001
            logger.exception("generic extraction failed on %s", response.url)
            article.warnings.append(f"extraction failed ({type(e).__name__}: {e}); fields left empty")
        return article

    def _fill(self, article: Article, response: TextResponse) -> None:
        if "dataloss" in response.flags:
            article.warnings.append(
                "the download was cut short (fewer bytes than announced); the page may be incomplete")
        decoded = decode_page(response, self.fallback_encoding)
        article.warnings.extend(decoded.warnings)
        if not decoded.text.strip():
            article.warnings.append("the page is empty")
            return
        selector = Selector(text=decoded.text, type="html")
        root = selector.root
        meta = read_metadata(selector, get_base_url(response))
        article.warnings.extend(meta.problems)
        captured = self.capture.captured_at
        found = page_comments(root, meta.article, meta.nodes)
        main = extract_main_text(extraction_copy(root, found.sections), response.url)
        layout = locate(root, main.paragraphs, meta.titles)
        headline = text_of(layout.headline) if layout.headline is not None else None

        article.canonical_url = meta.canonical_url
        article.id = article_id(article.site, response.url, meta.canonical_url)
        article.title = choose_title(meta.titles, headline, reworded=layout.reworded) or main.title
        article.author = meta.author or _seen_in_header(main.author, layout)
        article.tags = meta.tags or main.tags
        article.comment_count_declared = meta.comment_count
        dates = page_dates(meta.article, meta.page, meta.meta, root, layout, response.url,
                           fallback_day=main.date, not_after=captured)
        if dates.published is not None:
            article.published_at, article.published_at_raw = dates.published.iso, dates.published.raw
            if dates.published.warning:
                article.warnings.append(dates.published.warning)
        article.comments = found.comments
        for comment in article.comments:
            if comment.posted_at_raw:
                comment.posted_at = dates.stated(comment.posted_at_raw)
        paragraphs = clean_paragraphs(main.paragraphs, main.kinds, root, title=article.title,
                                      comment_texts={comment.text for comment in article.comments if comment.text},
                                      datelines=datelines(layout.header))
        if standfirst := lede(layout, meta.description, paragraphs):
            paragraphs.insert(0, standfirst)
        article.body = _body(paragraphs, meta.article_body)
        article.missing = [name for name in ("title", "published_at", "body") if not getattr(article, name)]
        article.warnings.extend(missing_warning(name) for name in article.missing)


def bare_article(url: str, sources: list[Source]) -> Article:
    """An article that only accounts for *url*: identity and provenance, no content yet."""
    site = site_of(url)
    fetched = sources[-1].captured_at if sources else None
    return Article(
        id=article_id(site, url, None), url=url, canonical_url=None, site=site,
        fetched_at=fetched, sources=sources,
    )


def site_of(url: str) -> str:
    """The host of *url* in lower case, without port (a colon would break the id format)."""
    return urlsplit(url).hostname or "unknown-host"


def article_id(site: str, url: str, canonical_url: str | None) -> str:
    """``{site}:{normalized path and query}`` of the canonical URL if on *site*, else of *url*."""
    if canonical_url and _same_site(site_of(canonical_url), site):
        url = canonical_url
    parts = urlsplit(canonicalize_url(url))
    path = parts.path.rstrip("/") or "/"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not k.lower().startswith(_TRACKING_PARAMS)])
    return f"{site}:{path}" + (f"?{query}" if query else "")


def is_html(response: Response) -> bool:
    """Whether *response* is an HTML page (by Scrapy's type, or by its first bytes when mislabelled)."""
    if isinstance(response, HtmlResponse):
        return True
    if not isinstance(response, TextResponse):
        return False
    return response.body[:512].lstrip().lower().startswith(_HTML_START)


def _same_site(host: str, site: str) -> bool:
    return host.removeprefix("www.") == site.removeprefix("www.")


def _seen_in_header(name: str | None, layout) -> str | None:
    """trafilatura's author guess, when the article's header shows it (not a teaser's byline in a sidebar)."""
    if not name:
        return None
    return name if any(name in text_of(element) for element in layout.header) else None


def _body(paragraphs: list[str], article_body: str | None) -> str | None:
    # A JSON-LD articleBody more than twice as long means trafilatura missed most of the article.
    if article_body and len(article_body) > 2 * sum(map(len, paragraphs)):
        paragraphs = [line.strip() for line in article_body.splitlines() if line.strip()]
    return "\n\n".join(paragraphs) or None


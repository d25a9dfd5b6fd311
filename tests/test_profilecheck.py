"""``newsarchive profile check``: per field, what a profile read on a page and by which selector, or all it tried."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.profilecheck import check_pages, print_checks
from crawler.runs.outcome import RunRefused

PAGES = Path(__file__).resolve().parent / "fixtures" / "topwar"
SEED = PAGES / "replica-seed-article" / "page.html"
SEED_URL = "http://127.0.0.1:8080/179625-a-source-reveals-the-kremlins-reaction-to-large-scale-protests-in-belarus.html"


def report(*inputs: str, **options: str) -> tuple[int, str]:
    out = io.StringIO()
    status = print_checks(check_pages(inputs, **options), out)
    return status, out.getvalue()


def test_a_saved_article_page_shows_each_field_and_the_selector_that_found_it() -> None:
    status, text = report(str(SEED), url=SEED_URL)
    assert status == 0
    lines = text.splitlines()
    assert lines[0] == f"{SEED}: article"
    assert lines[1].startswith("  title                    A source reveals the Kremlin's reaction to large-scale")
    assert lines[1].endswith("by meta[property='og:title']::attr(content)")
    assert "  author                   Dmitry Sokolovsky" in text
    assert "by span.article__author" in lines[2]
    assert "2020-09-13T15:24:00+03:00" in lines[3]
    assert "  comment score: 2 by span[class*='ratingtypeplusminus']" in lines
    assert lines[-1] == "1 pages checked, 0 with fields missing"


def test_a_redesigned_page_names_every_selector_tried_and_exits_1(tmp_path: Path) -> None:
    redesigned = SEED.read_text(encoding="utf-8")
    for old, new in (("article__", "story-"), ('property="og:title"', 'property="og:name"'),
                     ("news-id-", "story-id-"), ("article:published_time", "article:time")):
        redesigned = redesigned.replace(old, new)
    page = tmp_path / "179625-redesigned.html"
    page.write_text(redesigned, encoding="utf-8")
    status, text = report(str(page))
    assert status == 1
    assert ("  title                    NOT FOUND   tried: jsonld:headline, meta[property='og:title']::attr(content), "
            "h1.heading, h1.article__title, article h2.title, article h1.title") in text
    assert ("  body                     NOT FOUND   tried: div[id^='news-id-'], div.pfull-cont.text, "
            "article.fullstory div.text, div.post-cont, div.article__text") in text
    assert "  missing: title, author, published_at, body" in text
    # The engine's own comment markup survives a redesign of the theme.
    assert "  comment score: 2 by span[class*='ratingtypeplusminus']" in text
    assert text.endswith("1 pages checked, 1 with fields missing\n")


def test_warc_files_are_checked_capture_by_capture(tmp_path: Path) -> None:
    warc = tmp_path / "pages.warc.gz"
    with warc.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, body, status in ((SEED_URL, SEED.read_bytes(), "200 OK"), (SEED_URL + "?gone", b"gone", "404 Not Found")):
            headers = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    status, text = report(str(warc))
    assert status == 0
    assert text.splitlines()[0] == f"{warc} offset 0: {SEED_URL}: article"
    assert text.endswith("1 pages checked, 0 with fields missing\n"), "the 404 is not a page of the site's markup"


def test_listing_and_comment_pages(tmp_path: Path) -> None:
    status, text = report(str(PAGES / "handwritten-listing" / "page.html"),
                          str(PAGES / "handwritten-comments-page" / "page.json"), url="http://127.0.0.1:8080/page/2/")
    assert status == 0
    assert "  4 teasers (4 article links, 3 dated)" in text
    assert "  next page: http://127.0.0.1:8080/page/3/" in text
    assert "  4 comments" in text
    # Per comment field, which selector found it: comment 502's rating has the member's wrapper only.
    assert "  comment date: 4 by span[class*='comment__date']" in text
    assert ("  comment score: 3 by span[class*='ratingtypeplusminus'], 1 by span[id^='comments-ratig-layer-']"
            in text)
    assert "  comment author: 3 by a[class*='comment__author']" in text


@pytest.mark.parametrize(("inputs", "options", "message"), [
    (["/nonexistent/page.html"], {}, "no such file: /nonexistent/page.html"),
    ([str(SEED)], {"profile": "nosuch"}, "no site profile 'nosuch'; available: .*topwar"),
])
def test_bad_arguments_are_refused(inputs: list[str], options: dict[str, str], message: str) -> None:
    with pytest.raises(RunRefused, match=f"^{message}"):
        check_pages(inputs, **options)


def test_live_urls_are_fetched_and_checked(replica) -> None:
    status, text = report(replica.url + "179625-a-source-reveals-the-kremlins-reaction-to-large-scale-protests-in-belarus.html",
                          replica.url)
    assert status == 0, text
    assert "  author                   Dmitry Sokolovsky" in text
    assert f"{replica.url}: listing" in text
    assert "  20 teasers (20 article links, 20 dated)" in text

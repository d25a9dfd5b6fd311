"""The news crawl's bookkeeping (crawler.domain.frontier) and article assembly (crawler.pages.discovery.assembly)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crawler.domain.frontier import Frontier
from crawler.domain.items import Article, Comment, Source
from crawler.pages.discovery.assembly import ArticleAssembly

UTC = timezone.utc
SITE = "https://news.example"


def urls(targets) -> list[str]:
    return [target.url for target in targets]


def test_each_url_is_fetched_once_whatever_found_it():
    frontier = Frontier(None, None)
    assert frontier.offer_article(f"{SITE}/a-b-c-d/", "sitemap") is True
    assert frontier.offer_article(f"{SITE}/a-b-c-d/#comments", "feed") is False  # same page
    assert frontier.offer_article(f"{SITE}/a-b-c-d", "listing") is False  # trailing slash
    assert urls(frontier.release()) == [f"{SITE}/a-b-c-d/"]
    assert frontier.targets[f"{SITE}/a-b-c-d"].via == {"sitemap", "feed", "listing"}
    assert frontier.release() == []


def test_max_articles_releases_candidates_only_while_there_is_room():
    frontier = Frontier(2, None)
    for n in range(4):
        frontier.offer_article(f"{SITE}/article-number-{n}/", "sitemap")
    first = frontier.release()
    assert urls(first) == [f"{SITE}/article-number-0/", f"{SITE}/article-number-1/"]
    assert frontier.release() == []
    frontier.settle(first[0], line=False)  # not an article: its place goes to the next candidate
    assert urls(frontier.release()) == [f"{SITE}/article-number-2/"]
    frontier.settle(first[1], line=True)
    assert not frontier.full
    frontier.settle(frontier.targets[f"{SITE}/article-number-2"], line=True)
    assert frontier.full and frontier.lines == 2
    assert frontier.release() == []


def test_an_article_found_on_a_section_page_takes_a_place_if_one_is_left():
    frontier = Frontier(1, None)
    action, start = frontier.offer_section(f"{SITE}/2026/03/05/an-article-given-as-start/", 0)
    assert action == "request"
    assert frontier.claim(start) is True  # it is an article after all: it takes the one place
    frontier.offer_article(f"{SITE}/other-article-with-slug/", "listing")
    assert frontier.release() == []
    frontier.settle(start, line=True)
    assert frontier.full
    _, another = frontier.offer_section(f"{SITE}/category/x/", 1)
    assert frontier.claim(another) is False


def test_since_drops_old_candidates_and_remembers_them():
    since = datetime(2026, 3, 1, tzinfo=UTC)
    frontier = Frontier(None, since)
    assert frontier.offer_article(f"{SITE}/old-article-of-february/", "listing") is True  # no date known yet
    assert frontier.offer_article(f"{SITE}/old-article-of-february/", "sitemap", datetime(2026, 2, 20, tzinfo=UTC)) \
        is False  # its sitemap lastmod: it cannot have been published since
    assert frontier.release() == []  # taken out of the queue
    assert frontier.offer_article(f"{SITE}/old-article-of-february/", "feed") is False
    assert frontier.offer_article(f"{SITE}/new-article-of-march/", "feed", datetime(2026, 3, 1, tzinfo=UTC)) is True
    assert frontier.is_old(None) is False


@pytest.mark.parametrize(("first", "then", "action"), [
    ("new", 0, "request"),
    ("queued", 0, "request"),  # an article candidate still waiting is fetched now, as a section
    ("done-read", 0, "explore"),  # fetched as a candidate, not an article: explore what it read
    ("requested", 0, None),  # its answer will be explored when it comes
    ("section", 1, None),  # already a section
])
def test_a_section_role_added_to_a_known_url(first, then, action):
    frontier = Frontier(None, None)
    url = f"{SITE}/dossier/"
    if first != "new":
        frontier.offer_article(url, "sitemap") if first != "section" else frontier.offer_section(url, 0)
    if first in ("requested", "done-read"):
        [target] = frontier.release()
        if first == "done-read":
            frontier.settle(target, line=False)
            target.listing = object()
    assert frontier.offer_section(url, then)[0] == action


def comment(number: int, parent: int | None = None, text: str | None = None, cid: str | None = None) -> Comment:
    return Comment(id=cid or f"comment-{number}", parent_id=parent and f"comment-{parent}", depth=int(bool(parent)),
                   author=None, posted_at=None, posted_at_raw=None, score=None, text=text or f"text {number}")


def page(comments: list[Comment], url: str, warnings: list[str] | None = None, declared: int | None = None) -> Article:
    return Article(id="news.example:/a", url=url, canonical_url=None, site="news.example", comments=comments,
                   comment_count_declared=declared, warnings=warnings or [],
                   sources=[Source(url=url, status=200, captured_at="2026-03-12T09:00:00+00:00")])


POST = f"{SITE}/2026/03/05/slug/"


def test_comment_pages_are_merged_in_page_order_with_the_article_page_last():
    # WordPress's "newest" default: the post shows page 3 and links pages 2 and 1; page 2 links page 1 again.
    article = page([comment(5), comment(6, parent=5)], POST, declared=6)
    assembly = ArticleAssembly(article, {2: f"{POST}comment-page-2/"})
    assert assembly.to_request() == [(2, f"{POST}comment-page-2/")]
    assert not assembly.done
    assembly.add_page(2, page([comment(3), comment(4)], f"{POST}comment-page-2/"), {1: f"{POST}comment-page-1/"})
    assert assembly.to_request() == [(1, f"{POST}comment-page-1/")]
    assembly.add_page(1, page([comment(1), comment(2, parent=1)], f"{POST}comment-page-1/"), {2: f"{POST}x"})
    assert assembly.to_request() == [] and assembly.done
    line = assembly.finish()
    assert [c.id for c in line.comments] == [f"comment-{n}" for n in range(1, 7)]
    assert [s.url for s in line.sources] == [POST, f"{POST}comment-page-1/", f"{POST}comment-page-2/"]
    assert line.warnings == []


def test_a_missing_comment_page_and_a_short_count_are_warnings():
    article = page([comment(3)], POST, warnings=["no title found"], declared=4)
    assembly = ArticleAssembly(article, {1: f"{POST}comment-page-1/", 2: f"{POST}comment-page-2/"})
    assembly.to_request()
    assembly.fail_page(2, "HTTP 503", [Source(url=f"{POST}comment-page-2/", status=503, captured_at="t")])
    assembly.add_page(1, page([comment(1), comment(2)], f"{POST}comment-page-1/",
                              warnings=["no title found", "comment 2: unreadable date 'x'"]), {})
    line = assembly.finish()
    assert [c.id for c in line.comments] == ["comment-1", "comment-2", "comment-3"]
    assert line.warnings == ["no title found", "comment page 1: comment 2: unreadable date 'x'",
                             "comment page 2 could not be fetched: HTTP 503",
                             "the page declares 4 comments but 3 were read"]
    assert [s.status for s in line.sources] == [200, 200, 503]


def test_a_comment_two_pages_show_is_kept_once_and_positional_ids_stay_apart():
    article = page([comment(1, text="same"), comment(0, cid="c1", text="page one's first"),
                    comment(0, cid="c2", parent=None, text="its reply")], POST)
    article.comments[2].parent_id = "c1"
    assembly = ArticleAssembly(article, {2: f"{POST}comment-page-2/"})
    assembly.to_request()
    again = comment(1, text="same")
    other = comment(0, cid="c1", text="page two's first")
    reply = comment(0, cid="c3", text="reply on page two")
    reply.parent_id = "c1"
    assembly.add_page(2, page([again, other, reply], f"{POST}comment-page-2/"), {})
    line = assembly.finish()
    assert [(c.id, c.parent_id, c.text) for c in line.comments] == [
        ("comment-1", None, "same"), ("c1", None, "page one's first"), ("c2", "c1", "its reply"),
        ("c1-p2", None, "page two's first"), ("c3", "c1-p2", "reply on page two")]


def test_a_single_page_article_is_checked_against_its_count():
    assert ArticleAssembly(page([comment(1)], POST, declared=1), {}).finish().warnings == []
    assert ArticleAssembly(page([], POST, declared=2), {}).finish().warnings == [
        "the page declares 2 comments but 0 were read"]

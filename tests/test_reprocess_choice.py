"""Which capture answers a request, where reprocessing starts, which spider runs: tables written out by hand."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.reprocess.captures import Capture, CrawlInfo, FileScan, url_key
from crawler.reprocess.index import CaptureIndex
from crawler.reprocess.starts import UnknownSpider, choose_spider, starting_points
from crawler.runs.crawl import project_settings
from spiders.profiles import TopwarSpider
from spiders.urls import UrlsSpider

T0 = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)
SITE = "http://127.0.0.1:8080"
ARTICLE = f"{SITE}/179625-a-source.html"
RENAMED = f"{SITE}/247610-old-name.html"
TARGET = f"{SITE}/247610-new-name.html"
COMMENTS = f"{SITE}/engine/ajax/controller.php?mod=comments&cstart=2&news_id=179625"


def _capture(url: str, minute: int, group: str, status: int = 200, *, kind: str = "response",
             mime: str | None = "text/html", location: str | None = None, method: str = "GET",
             record_id: str | None = None, digest: str | None = None, offset: int = 0) -> Capture:
    return Capture(url=url, key=url_key(url), kind=kind, status=status, mime=mime, location=location,
                   date=T0 + timedelta(minutes=minute), record_id=record_id or f"<urn:uuid:{group}-{minute}>",
                   digest=digest, refers_to=None, refers_to_url=None, refers_to_date=None, group=group, file=0,
                   offset=offset or minute * 1000, length=100, position=0, method=method)


def _index(*captures: Capture, crawls: tuple[CrawlInfo, ...] = ()) -> CaptureIndex:
    scan = FileScan(0, captures=list(captures), crawls=list(crawls))
    return CaptureIndex.from_scans([Path("a.warc.gz")], [scan])


# Crawl "monday" captured the article at 0 min, a 503 of its comment page at 1 and the retried 200 at 2;
# crawl "friday" captured the article at 60 min, its comment page only as a 503 at 61.
RECURRING = _index(
    _capture(ARTICLE, 0, "monday"), _capture(COMMENTS, 1, "monday", 503), _capture(COMMENTS, 2, "monday", 200),
    _capture(ARTICLE, 60, "friday"), _capture(COMMENTS, 61, "friday", 503),
)


@pytest.mark.parametrize(
    ("url", "group", "strict", "at_minute", "expected"),
    [
        (ARTICLE, None, False, None, ("friday", 60)),  # latest by default
        (ARTICLE, None, False, 10, ("monday", 0)),  # closest to --at
        (ARTICLE, None, False, 40, ("friday", 60)),
        (COMMENTS, "monday", False, None, ("monday", 2)),  # the page's crawl; within it, the 200 after the 503
        (COMMENTS, "friday", False, None, ("friday", 61)),  # only a 503 in that crawl: it replays as the 503
        (COMMENTS, None, False, 1, ("monday", 2)),  # --at picks the crawl, the crawl's latest capture answers
        (ARTICLE, "sunday", False, None, ("friday", 60)),  # a crawl without the URL: the policy decides
        (ARTICLE, "sunday", True, None, None),  # ... unless pinned (--all-captures)
        (f"{SITE}/nowhere.html", None, False, None, None),
        (ARTICLE + "#comments", None, False, None, ("friday", 60)),  # fragments are never sent
    ],
)
def test_choose(url: str, group: str | None, strict: bool, at_minute: int | None,
                expected: tuple[str, int] | None) -> None:
    at = T0 + timedelta(minutes=at_minute) if at_minute is not None else None
    chosen = RECURRING.choose(url, group=group, strict=strict, at=at)
    assert (None if chosen is None else (chosen.group, int((chosen.date - T0).total_seconds() // 60))) == expected


def test_choose_matches_the_request_method_and_unescaped_urls() -> None:
    index = _index(_capture("http://example.com/post", 0, "c", method="POST"),
                   _capture("http://example.com?q=1", 1, "c"))
    assert index.choose("http://example.com/post") is None
    assert index.choose("http://example.com/post", "POST") is not None
    assert index.choose("http://example.com/?q=1") is not None  # Scrapy adds the path the WARC left out


def test_revisit_resolves_by_record_id_else_by_digest_and_url() -> None:
    original = _capture(ARTICLE, 0, "monday", record_id="<urn:uuid:o>", digest="sha1:AAA")
    same_digest_elsewhere = _capture(f"{SITE}/copy.html", 1, "monday", record_id="<urn:uuid:c>", digest="sha1:AAA")
    by_id = _capture(ARTICLE, 60, "friday", kind="revisit", digest="sha1:AAA", status=None, mime=None)
    by_id.refers_to = "<urn:uuid:o>"
    by_url = _capture(ARTICLE, 61, "friday", kind="revisit", digest="sha1:AAA")
    by_url.refers_to_url = ARTICLE
    lost = _capture(f"{SITE}/lost.html", 62, "friday", kind="revisit", digest="sha1:ZZZ")
    index = _index(same_digest_elsewhere, original, by_id, by_url, lost)
    assert index.original_of(by_id) is original
    assert index.original_of(by_url) is original
    assert index.original_of(lost) is None
    assert (by_id.status, by_id.mime) == (200, "text/html")  # a revisit without an HTTP head takes its original's


def test_crawls_are_named_by_is_part_of_else_by_warcinfo_and_file() -> None:
    scan = FileScan(0, captures=[_capture(ARTICLE, 0, "warcinfo:<urn:uuid:1>"),
                                 _capture(TARGET, 1, "warcinfo:<urn:uuid:2>"), _capture(RENAMED, 2, "file:a.warc.gz")],
                    crawls=[CrawlInfo("warcinfo:<urn:uuid:1>", "2026-11-25-topwar", "topwar", 0),
                            CrawlInfo("warcinfo:<urn:uuid:2>", None, None, 0)])
    index = CaptureIndex.from_scans([Path("dir/a.warc.gz")], [scan])
    assert sorted(index.crawls) == ["2026-11-25-topwar", "a.warc.gz", "a.warc.gz <urn:uuid:2>"]
    assert index.spiders_named() == {"topwar": 1}


@pytest.mark.parametrize(
    ("spider", "url", "status", "mime", "starts"),
    [
        (TopwarSpider, ARTICLE, 200, "text/html", True),
        (TopwarSpider, f"{SITE}/247744-gone.html", 404, "text/html", True),  # the 404 gives its warning line
        (TopwarSpider, f"{SITE}/page/2/", 200, "text/html", False),
        (TopwarSpider, COMMENTS, 200, "application/json", False),
        (TopwarSpider, f"{SITE}/robots.txt", 200, "text/plain", False),
        (UrlsSpider, ARTICLE, 200, "text/html", True),
        (UrlsSpider, ARTICLE, 200, "application/xhtml+xml", True),
        (UrlsSpider, RENAMED, 301, "text/html", True),
        (UrlsSpider, ARTICLE, 404, "text/html", False),
        (UrlsSpider, f"{SITE}/photo.jpg", 200, "image/jpeg", False),
        (UrlsSpider, COMMENTS, 200, "application/json", False),
    ],
)
def test_spiders_say_where_reprocessing_starts(spider: type, url: str, status: int, mime: str, starts: bool) -> None:
    assert spider.is_archive_start(url, status, mime) is starts


def test_starting_points_at_a_time_come_from_the_captures_closest_to_it() -> None:
    # Monday the page was an article; by Friday it answered 404 and a new article had appeared.
    new_article = f"{SITE}/250000-a-new-story.html"
    index = _index(
        _capture(ARTICLE, 0, "monday", mime="text/html"), _capture(ARTICLE, 60, "friday", 404),
        _capture(new_article, 61, "friday"),
    )
    # Each URL's capture closest to the time decides; the new article has no other capture.
    assert starting_points(index, UrlsSpider.is_archive_start, at=T0) == [ARTICLE, new_article]
    assert starting_points(index, UrlsSpider.is_archive_start) == [new_article]
    assert starting_points(index, UrlsSpider.is_archive_start, at=T0 + timedelta(minutes=59)) == [new_article]


def test_urls_spider_takes_a_list_in_process() -> None:
    listed = ["http://example.com/a,b", "http://example.com/c", "http://example.com/c"]
    assert UrlsSpider(urls=listed).requested == ["http://example.com/a,b", "http://example.com/c"]


def test_starting_points_follow_redirects_of_the_same_crawl() -> None:
    index = _index(
        _capture(RENAMED, 0, "monday", 301, location="/247610-new-name.html"), _capture(TARGET, 1, "monday"),
        _capture(ARTICLE, 2, "monday"), _capture(COMMENTS, 3, "monday", mime="application/json"),
        _capture(TARGET, 60, "friday"), _capture(f"{SITE}/page/2/", 61, "friday"),
    )
    assert starting_points(index, TopwarSpider.is_archive_start, "monday") == [RENAMED, ARTICLE]
    assert starting_points(index, TopwarSpider.is_archive_start, "friday") == [TARGET]
    assert starting_points(index, UrlsSpider.is_archive_start, "friday") == [TARGET, f"{SITE}/page/2/"]
    # All crawls at once: each URL once, a redirect target reached through its redirect.
    assert starting_points(index, TopwarSpider.is_archive_start) == [RENAMED, ARTICLE]


@pytest.mark.parametrize(
    ("requested", "named", "host", "expected"),
    [
        ("urls", "topwar", "en.topwar.ru", ("urls", "given with --spider")),
        (None, "topwar", "example.com", ("topwar", "named in the WARCs' warcinfo records")),
        (None, None, "en.topwar.ru", ("topwar", "its site profile claims en.topwar.ru")),
        (None, "gone-spider", "www.en.topwar.ru", ("topwar", "its site profile claims www.en.topwar.ru")),
        (None, None, "example.com", ("urls", "no warcinfo record names a spider and no site profile claims "
                                             "example.com")),
    ],
)
def test_choose_spider(requested: str | None, named: str | None, host: str, expected: tuple[str, str]) -> None:
    index = _index(_capture(f"http://{host}/1-a.html", 0, "warcinfo:<urn:uuid:1>"),
                   crawls=(CrawlInfo("warcinfo:<urn:uuid:1>", "job", named, 0),))
    choice = choose_spider(index, project_settings(), requested)
    assert (choice.name, choice.reason) == expected


def test_unknown_spider_is_refused() -> None:
    with pytest.raises(UnknownSpider, match=r"^no spider named 'nope' \(available: news, topwar, urls, voenvestnik\)$"):
        choose_spider(_index(), project_settings(), "nope")

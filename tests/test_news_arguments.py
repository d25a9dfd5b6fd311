"""The news spider's arguments: valid values parse, bad ones fail when the spider is built, naming the argument."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from crawler.domain.news_params import NewsCrawlParams
from crawler.domain.params import SpiderArgumentError
from spiders.news import NewsSpider

REPO = Path(__file__).resolve().parent.parent
UTC = timezone.utc
SITE = "https://news.example/"


@pytest.mark.parametrize(("arguments", "expected"), [
    ({"start_urls": SITE}, NewsCrawlParams((SITE,), (), None, None)),
    ({"start_urls": f"{SITE}, https://other.example/news/,{SITE}"},
     NewsCrawlParams((SITE, "https://other.example/news/"), (), None, None)),
    ({"article_urls": [f"{SITE}a,b-c"]}, NewsCrawlParams((), (f"{SITE}a,b-c",), None, None)),  # a list: not split
    ({"start_urls": SITE, "max_articles": "25"}, NewsCrawlParams((SITE,), (), 25, None)),
    ({"start_urls": SITE, "max_articles": 3}, NewsCrawlParams((SITE,), (), 3, None)),
    ({"start_urls": SITE, "since": "2026-03-01"}, NewsCrawlParams((SITE,), (), None, datetime(2026, 3, 1, tzinfo=UTC))),
    ({"start_urls": SITE, "since": "2026-03-01T00:00:00+01:00"},
     NewsCrawlParams((SITE,), (), None, datetime.fromisoformat("2026-03-01T00:00:00+01:00"))),
    ({"start_urls": SITE, "since": ""}, NewsCrawlParams((SITE,), (), None, None)),
])
def test_valid_arguments(arguments, expected):
    assert NewsCrawlParams.from_arguments(**arguments) == expected


@pytest.mark.parametrize(("arguments", "message"), [
    ({}, "spider argument start_urls: no URL given: pass start_urls=https://site/ (comma-separated)"),
    ({"start_urls": "news.example"}, "spider argument start_urls: 'news.example' is not an absolute http(s) URL"),
    ({"start_urls": " , "}, "spider argument start_urls: no URL given"),
    ({"article_urls": "file:///etc/passwd"},
     "spider argument article_urls: 'file:///etc/passwd' is not an absolute http(s) URL"),
    ({"start_urls": SITE, "max_articles": "many"}, "spider argument max_articles: 'many' is not a whole number"),
    ({"start_urls": SITE, "max_articles": "-1"}, "spider argument max_articles: must be at least 1, got -1"),
    ({"start_urls": SITE, "since": "1 March"}, "spider argument since: '1 March' is not an ISO date like 2020-09-13"),
    ({"start_urls": SITE, "urls": SITE},
     "spider argument urls: unknown argument (known: start_urls, article_urls, max_articles, since)"),
])
def test_bad_arguments_fail_when_the_spider_is_built(arguments, message):
    with pytest.raises(SpiderArgumentError) as raised:
        NewsSpider(**arguments)
    assert str(raised.value) == message


def test_the_spider_stays_on_the_hosts_it_was_given():
    spider = NewsSpider(start_urls="https://News.example/, https://www.other.example:8443/x",
                        article_urls=["https://third.example/a-b-c-d"])
    assert spider.allowed_domains == ["news.example", "third.example", "www.other.example"]


@pytest.mark.parametrize(("url", "status", "mime", "starts"), [
    (f"{SITE}2026/03/05/a-post/", 200, "text/html", True),
    (f"{SITE}about/", 200, "text/html", True),  # judged by evidence once replayed
    (f"{SITE}2026/01/20/old-slug/", 301, None, True),  # a redirect is followed to its target
    (f"{SITE}2025/12/02/a-deleted-post/", 404, "text/html", True),  # gives its warning line, as live
    (f"{SITE}about/", 404, "text/html", False),
    (f"{SITE}", 200, "text/html", False),
    (f"{SITE}page/2/", 200, "text/html", False),
    (f"{SITE}category/world/", 200, "text/html", False),
    (f"{SITE}2026/03/05/a-post/comment-page-2/", 200, "text/html", False),  # read with its article
    (f"{SITE}feed/", 200, "application/rss+xml", False),
    (f"{SITE}sitemap_index.xml", 200, "text/xml", False),
    (f"{SITE}wp-sitemap.xml", 301, None, False),
    (f"{SITE}2026/03/05/a-post/", 200, "application/pdf", False),
])
def test_reprocessing_starts_from_pages_that_may_be_articles(url, status, mime, starts):
    assert NewsSpider.is_archive_start(url, status, mime) is starts


def test_a_bad_argument_on_the_command_line_exits_2_before_anything_is_written(tmp_path):
    done = subprocess.run([sys.executable, "-m", "crawler", "crawl", "news", "-a", f"start_urls={SITE}",
                           "-a", "max_articles=0", "--out", str(tmp_path / "out")],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "newsarchive crawl: error: spider argument max_articles: must be at least 1, got 0"]
    assert not (tmp_path / "out").exists()

"""The project's Scrapy components, each built from a crawler as Scrapy builds it (scrapy.utils.test.get_crawler)."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from scrapy import Request, Spider, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.components.capturetime import CaptureTimeMiddleware
from crawler.components.feedstorage import WRITE_FAILED_STAT, LineFlushedFileStorage
from crawler.components.jobfolder import JobFolder
from crawler.components.pipelines import ArticleStatsPipeline
from crawler.domain.items import Article, Comment, Source
from crawler.domain.provenance import capture_of, record_capture
from crawler.warc.config import WarcConfig, WarcSettingError
from crawler.warc.extension import WarcArchive

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


class NewsSpider(Spider):
    name = "news"


def article(warnings: list[str], comments: int) -> Article:
    return Article(id="x:1", url="http://127.0.0.1/1", canonical_url=None, site="x", warnings=warnings,
                   comments=[Comment(str(n), None, 0, None, None, None, None, "t") for n in range(comments)])


def test_stats_pipeline_counts_the_articles_written_and_none_after_a_failed_feed_write() -> None:
    crawler = get_crawler(NewsSpider)
    crawler.stats.open_spider()
    pipeline = ArticleStatsPipeline.from_crawler(crawler)
    pipeline.open_spider()
    for item in (article([], 3), article(["no title", "no article text"], 0), article([], 1)):
        assert pipeline.process_item(item) is item
        crawler.signals.send_catch_log(signals.item_scraped, item=item, response=None, spider=None)
    crawler.stats.set_value(WRITE_FAILED_STAT, "Cannot write items.jsonl (File too large)")
    crawler.signals.send_catch_log(signals.item_scraped, item=article(["late"], 5), response=None, spider=None)
    stats = crawler.stats.get_stats()
    assert {key: stats[key] for key in stats if key.startswith("newsarchive/")} == {
        "newsarchive/articles": 3, "newsarchive/comments": 4, "newsarchive/warnings": 2,
        "newsarchive/articles_with_warnings": 1, "newsarchive/articles_not_written": 1,
    }


def test_feed_storage_writes_unbuffered_into_a_new_folder(tmp_path: Path) -> None:
    storage = LineFlushedFileStorage(str(tmp_path / "job" / "items.jsonl"))
    file = storage.open(NewsSpider())
    file.write(b'{"id": "x:1"}\n')
    # Unbuffered: the line is in the file before anything is flushed or closed.
    assert (tmp_path / "job" / "items.jsonl").read_bytes() == b'{"id": "x:1"}\n'
    file.close()


_WRITE_LINES = """
import resource, signal, sys
from scrapy import Spider
from crawler.components.feedstorage import LineFlushedFileStorage
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))
file = LineFlushedFileStorage(sys.argv[1]).open(Spider("s"))
for n in range(20):
    print(file.write(b'{"line": %d, "text": "%s"}\\n' % (n, b"x" * 80)))
"""


def test_feed_storage_cuts_a_failed_write_back_to_the_last_whole_line_and_writes_nothing_more(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    done = subprocess.run([sys.executable, "-c", _WRITE_LINES, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    written = [int(n) for n in done.stdout.split()]
    whole = 1000 // written[0]
    assert written == [written[0]] * whole + [0] * (20 - whole), "the failed write, and every later one, refused"
    assert path.read_bytes().count(b"\n") == whole and path.read_bytes().endswith(b"\n")
    assert f"Cannot write {path} (File too large): cut back to its last whole line at offset {whole * written[0]}" \
        in done.stderr


@pytest.mark.parametrize(("job_id", "expected"), [("2026-11-25-fixed", "2026-11-25-fixed"), ("", None)])
def test_job_folder_is_the_fixed_one_or_a_new_one_made_on_first_use(tmp_path: Path, job_id: str,
                                                                     expected: str | None) -> None:
    folder = JobFolder.from_crawler(get_crawler(NewsSpider, {"ARCHIVE_DIR": str(tmp_path), "ARCHIVE_JOB_ID": job_id}))
    assert list(tmp_path.iterdir()) == [], "nothing is created before a component asks"
    job = folder.job
    assert folder.job is job, "asked twice, the same job"
    assert job.archive_dir == tmp_path
    if expected is not None:
        assert job.id == expected
    else:
        assert job.id == f"{datetime.now(timezone.utc):%Y-%m-%d}-news"
    assert [path.name for path in tmp_path.iterdir()] == [job.id]


def test_capture_time_is_recorded_only_for_responses_nobody_archived() -> None:
    middleware = CaptureTimeMiddleware(clock=lambda: NOON)
    archived = Request("http://127.0.0.1/a")
    source = Source("http://127.0.0.1/a", 200, "2026-11-25T11:00:00+00:00", "f.warc.gz", "<urn:uuid:1>", 0, 10)
    record_capture(archived, source)
    cached = Request("http://127.0.0.1/b")
    for request in (archived, cached):
        middleware.process_response(request, HtmlResponse(request.url, request=request, body=b"<html></html>"))
    assert capture_of(HtmlResponse(archived.url, request=archived)).sources == (source,)
    assert capture_of(HtmlResponse(cached.url, request=cached)).sources == (
        Source("http://127.0.0.1/b", 200, "2026-11-25T12:00:00+00:00"),)


def test_warc_archive_is_off_without_warc_enabled() -> None:
    with pytest.raises(NotConfigured, match="WARC_ENABLED is off"):
        WarcArchive.from_crawler(get_crawler(NewsSpider, {"WARC_ENABLED": False}))


def test_warc_archive_refuses_a_bad_setting_instead_of_archiving_nothing() -> None:
    with pytest.raises(WarcSettingError, match="^WARC_MAX_SIZE must be a whole number, got 'big'$"):
        WarcArchive.from_crawler(get_crawler(NewsSpider, {"WARC_ENABLED": True, "WARC_MAX_SIZE": "big"}))


def test_warc_archive_reads_its_one_config() -> None:
    archive = WarcArchive.from_crawler(get_crawler(NewsSpider, {
        "WARC_ENABLED": True, "WARC_PREFIX": "site", "WARC_GZIP": False, "WARC_MAX_SIZE": 5000,
        "WARC_OPERATOR": "archive@example.org", "WARC_DEDUP_ENABLED": False, "WARC_GZIP_LEVEL": 6,
    }))
    assert archive.config == WarcConfig(directory="", prefix="site", max_size=5000,
                                        operator="archive@example.org", gzip_level=None, dedup=False)


def drift_pipeline(crawler_settings: dict | None = None) -> tuple:
    from crawler.components.pipelines import MarkupDriftPipeline

    crawler = get_crawler(NewsSpider, {"MARKUP_DRIFT_THRESHOLD": 0.5, "MARKUP_DRIFT_MIN_ARTICLES": 5,
                                       **(crawler_settings or {})})
    crawler.stats.open_spider()
    return crawler, MarkupDriftPipeline.from_crawler(crawler)


def read_article(missing: list[str], title: str | None = "T") -> Article:
    warnings = ["no article text found (tried: div.a, div.b)"] if "body" in missing else []
    return Article(id="x:1", url="http://127.0.0.1/1", canonical_url=None, site="x", title=title,
                   missing=missing, warnings=warnings,
                   comments=[Comment("1", None, 0, "a", None, "x", None, "t")])


@pytest.mark.parametrize(("missing_bodies", "articles", "lines"), [
    (5, 5, ["the site's markup changed? 5 of 5 articles had no article text: "
            "no article text found (tried: div.a, div.b)"]),
    (3, 6, []),  # half is not more than half
    (4, 4, []),  # too few articles to tell
])
def test_drift_is_one_error_line_when_most_articles_miss_a_field(caplog, missing_bodies: int, articles: int,
                                                                 lines: list[str]) -> None:
    crawler, pipeline = drift_pipeline()
    for number in range(articles):
        pipeline.process_item(read_article(["body"] if number < missing_bodies else []))
    # A page that could not be fetched says nothing about the markup.
    pipeline.process_item(Article(id="x:2", url="http://127.0.0.1/2", canonical_url=None, site="x",
                                  warnings=["article page could not be fetched: HTTP 404"]))
    pipeline.close_spider()
    stats = crawler.stats.get_stats()
    assert stats["newsarchive/articles_read"] == articles
    assert stats.get("newsarchive/missing/body", 0) == missing_bodies
    assert stats.get("newsarchive/markup_changed", []) == lines
    assert [record.getMessage() for record in caplog.records if record.levelname == "ERROR"] == lines


@pytest.mark.parametrize(("spider", "lines"), [
    # Every field: the profile spiders and news.
    (None, ["the site's markup changed? 5 of 5 articles had no publication date: no publication date found",
              "the site's markup changed? 5 of 5 articles had no article text: no article text found "
              "(tried: div.a, div.b)"]),
    # Any pages, news or not: no date says nothing about the reading, no text does.
    ("urls", ["the site's markup changed? 5 of 5 articles had no article text: no article text found "
              "(tried: div.a, div.b)"]),
])
def test_a_spider_names_the_fields_drift_is_judged_on(spider: str | None, lines: list[str]) -> None:
    from spiders.urls import UrlsSpider

    crawler, pipeline = drift_pipeline()
    crawler.spider = UrlsSpider(urls="http://127.0.0.1/1") if spider == "urls" else None
    for _ in range(5):
        pipeline.process_item(read_article(["published_at", "body"]))
    pipeline.close_spider()
    assert crawler.stats.get_value("newsarchive/missing/published_at") == 5
    assert crawler.stats.get_value("newsarchive/markup_changed", []) == lines

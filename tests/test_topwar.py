"""The topwar spider end to end: a real crawl of the replica site, checked against hand-written values.

One crawl (``python -m crawler crawl topwar`` in a subprocess, the project's
settings, output in a temporary archive folder) is shared by the tests of this
module. Expected values come from the replica's documentation
(``crawler/replica/__init__.py``) and ../shared/seed-page.txt, written out
here by hand.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import ReplicaServer

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((REPO / "crawler" / "schema" / "article.schema.json").read_text(encoding="utf-8"))
MSK = ZoneInfo("Europe/Moscow")
LOCAL = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]


@dataclass
class Crawl:
    returncode: int
    output: str
    lines: list[dict]
    job_dir: Path

    @property
    def articles(self) -> dict[str, dict]:
        return {line["id"]: line for line in self.lines}


def crawl(tmp_path: Path, *arguments: str) -> Crawl:
    out = tmp_path / "archive"
    done = subprocess.run([sys.executable, "-m", "crawler", "crawl", "topwar", "--out", str(out), *LOCAL, *arguments],
                          cwd=REPO, capture_output=True, text=True)
    jobs = sorted(out.iterdir()) if out.exists() else []
    job_dir = next((job for job in jobs if job.is_dir()), out)
    items = job_dir / "items.jsonl"
    lines = [json.loads(line) for line in items.read_text(encoding="utf-8").splitlines()] if items.exists() else []
    return Crawl(done.returncode, done.stdout + done.stderr, lines, job_dir)


@pytest.fixture(scope="module")
def replica(own_replica: ReplicaServer) -> ReplicaServer:
    """This module's own replica, so its one-time 503 page is always seen by the crawl below."""
    return own_replica


@pytest.fixture(scope="module")
def site(replica, tmp_path_factory) -> Crawl:
    return crawl(tmp_path_factory.mktemp("topwar"), "-a", f"start_urls={replica.url}")


def fetched_urls(done: Crawl) -> set[str]:
    """Every URL the crawl fetched, from its WARC files."""
    urls = set()
    for path in done.job_dir.glob("*.warc.gz"):
        with path.open("rb") as stream:
            urls.update(record.rec_headers.get_header("WARC-Target-URI")
                        for record in ArchiveIterator(stream) if record.rec_type == "response")
    return urls


def comments_by_id(article: dict) -> dict[str, dict]:
    return {comment["id"]: comment for comment in article["comments"]}


def test_the_crawl_finishes_and_says_how_much_came_out(site):
    assert site.returncode == 0, site.output
    summary = site.output[site.output.index("newsarchive: crawl finished"):]
    # The 404, and the 503 that the retry gets past; the blog post robots.txt forbids.
    assert "pages fetched:   276 (HTTP errors: 2, failed downloads: 0, refused by robots.txt: 1)" in summary
    assert "articles:        199 (6 with warnings)" in summary  # 200 listed, the blog post is robots-disallowed
    assert "comments:        4201" in summary
    assert "warnings:        10" in summary
    assert "errors:          0" in summary


def test_every_line_is_a_valid_article(site):
    assert len(site.lines) == 199
    for line in site.lines:
        jsonschema.validate(line, SCHEMA)
    assert len(site.articles) == 199, "one line per article"


def test_seed_article(site, replica):
    url = f"{replica.url}179625-a-source-reveals-the-kremlins-reaction-to-large-scale-protests-in-belarus.html"
    article = site.articles["en.topwar.ru:179625"]
    assert article["url"] == url
    assert article["canonical_url"] == ("https://en.topwar.ru/"
                                        "179625-a-source-reveals-the-kremlins-reaction-to-large-scale-protests-in-belarus.html")
    assert article["site"] == "en.topwar.ru"
    assert article["title"] == "A source reveals the Kremlin's reaction to large-scale protests in Belarus"
    assert article["author"] == "Dmitry Sokolovsky"
    assert article["published_at"] == "2020-09-13T15:24:00+03:00"
    assert article["tags"] == ["Belarus", "Russia", "Vladimir Putin", "Alexander Lukashenko", "protests"]
    assert article["comment_count_declared"] == 2
    assert article["warnings"] == []
    paragraphs = article["body"].split("\n\n")
    assert len(paragraphs) == 6
    assert paragraphs[0].startswith("Large-scale protests have been going on in Belarus for over a month.")
    assert paragraphs[2].startswith("The visit is to take place on September 14, 2020,")
    assert "the “Belarusian issue”." in paragraphs[2]
    assert paragraphs[5].endswith("he does not want the protests to spread to Russia.")
    for furniture in ("2 comments", "Information", "Dear reader", "sign in", "Used photos"):
        assert furniture not in article["body"]
    first, second = article["comments"]
    assert first == {
        "id": "10519713", "parent_id": None, "depth": 0, "author": "Vladimir_2U",
        "posted_at": "2020-09-13T20:59:00+03:00", "posted_at_raw": "13 September 2020 20: 59", "score": 0,
        "text": "Interesting protesters - not a single Belarusian flag? Maybe that's why they don't stand on "
                "ceremony, because these are not Belarusian protesters?",
        "quotes": ["The Belarusian security forces do not stand on ceremony with the protesters."],
        "deleted": False, "likes": None, "dislikes": None,
    }
    assert {k: v for k, v in second.items() if k != "text"} == {
        "id": "10520063", "parent_id": None, "depth": 0, "author": "Sergey39",
        "posted_at": "2020-09-13T21:34:00+03:00", "posted_at_raw": "13 September 2020 21: 34", "score": 2,
        "quotes": [], "deleted": False, "likes": None, "dislikes": None,
    }
    lines = second["text"].split("\n")
    assert len(lines) == 5
    assert lines[0].startswith('So it is in the written "lights of democracy" - the USA, Germany and France,')
    assert lines[2].endswith('on the streets of "democratic" New York and Paris ??! :what:')
    assert lines[4] == "IMHO"


def test_seed_article_sources_point_at_its_warc_record(site, replica):
    article = site.articles["en.topwar.ru:179625"]
    [source] = article["sources"]
    assert source["url"] == article["url"]
    assert source["status"] == 200
    assert source["captured_at"] == article["fetched_at"]
    assert (site.job_dir / source["warc_filename"]).is_file()
    assert source["warc_offset"] >= 0 and source["warc_length"] > 0


def test_the_600_comment_article_is_one_line_with_every_comment(site):
    article = site.articles["en.topwar.ru:213406"]
    comments = article["comments"]
    assert len(comments) == 652 == article["comment_count_declared"]
    assert article["warnings"] == []
    assert len(article["sources"]) == 16, "the article page and 15 JSON comment pages"
    assert sum(1 for c in comments if c["depth"] == 0) == 318
    assert max(c["depth"] for c in comments) == 12
    assert sum(1 for c in comments if c["deleted"]) == 7
    by_id = comments_by_id(article)
    assert len(by_id) == 652
    deleted = by_id["24973653"]
    assert (deleted["deleted"], deleted["author"], deleted["text"], deleted["score"]) == (True, None, None, None)
    replies = [c["id"] for c in comments if c["parent_id"] == "24973653"]
    assert replies == ["24973663", "24973703", "24973733", "24973773"]
    chain = ["24974073", "24974083", "24974133", "24974143", "24974163", "24974173", "24974233", "24974283", "24974303"]
    for depth, comment_id in enumerate(chain):
        assert by_id[comment_id]["depth"] == depth
        assert by_id[comment_id]["parent_id"] == (chain[depth - 1] if depth else None)
    for position, comment in enumerate(comments):
        if comment["parent_id"] is not None:
            parent = by_id[comment["parent_id"]]
            assert comments.index(parent) < position
            assert comment["depth"] == parent["depth"] + 1


@pytest.mark.parametrize(("news_id", "warnings"), [
    ("247705", ["no title found (tried: jsonld:headline, meta[property='og:title']::attr(content), h1.heading, "
                "h1.article__title, article h2.title, article h1.title)"]),
    ("247801", ["page is truncated: the HTML ends before </html>", "comments block not found on the article page",
                "the page declares 9 comments but 0 were read"]),
    ("247744", ["article page could not be fetched: HTTP 404"]),
    ("176840", ["page declares no charset and is not UTF-8: decoded as windows-1251"]),
    ("238250", ["comment 37974443: unreadable date '31 Smarch 2020 25:61'", "comment 37975203: no date"]),
])
def test_broken_pages_give_a_line_with_warnings(site, news_id, warnings):
    assert site.articles[f"en.topwar.ru:{news_id}"]["warnings"] == warnings


def test_malformed_comment_page_keeps_the_other_pages(site):
    article = site.articles["en.topwar.ru:207880"]
    first, second = article["warnings"]
    assert first.startswith("comment page 2: the answer is not valid JSON (")
    assert second == "the page declares 118 comments but 65 were read"
    assert len(article["sources"]) == 3


def test_windows_1251_page_reads_as_russian(site):
    article = site.articles["en.topwar.ru:176840"]
    assert article["title"] == "Черноморский флот получил новый патрульный корабль"
    first = article["comments"][0]
    assert (first["author"], first["posted_at_raw"], first["posted_at"]) == (
        "Дед Мазай", "7 апреля 2020 14:31", "2020-04-07T14:31:00+03:00")
    assert article["comments"][1]["quotes"] == ["Флоту давно нужны такие корабли."]


def test_404_article_line_has_its_capture(site, replica):
    article = site.articles["en.topwar.ru:247744"]
    assert article["url"] == f"{replica.url}247744-talks-on-arms-supplies-to-poland-reached-a-dead-end.html"
    assert (article["title"], article["body"], article["comments"]) == (None, None, [])
    assert [s["status"] for s in article["sources"]] == [404]


def test_redirected_article_keeps_the_redirect_in_its_sources(site, replica):
    article = site.articles["en.topwar.ru:247610"]
    new = f"{replica.url}247610-construction-of-the-project-22350-frigate-admiral-golovko-fell-behind-schedule.html"
    old = f"{replica.url}247610-the-project-22350-frigate-admiral-golovko-will-join-the-fleet-in-2029.html"
    assert article["url"] == new
    assert [(s["url"], s["status"]) for s in article["sources"]] == [(old, 301), (new, 200)]


def test_robots_disallowed_article_is_not_fetched(site, replica):
    assert not [line for line in site.lines if "/blogs/" in line["url"]]
    fetched = fetched_urls(site)
    assert f"{replica.url}robots.txt" in fetched and f"{replica.url}page/10/" in fetched
    assert not [url for url in fetched if "/blogs/" in url]
    assert not list(site.job_dir.glob("*.warc.gz.open"))


def test_article_without_comments(site):
    article = site.articles["en.topwar.ru:244120"]
    assert (article["comment_count_declared"], article["comments"], article["warnings"]) == (0, [], [])


@pytest.mark.parametrize(("news_id", "comment_id", "raw", "posted_at"), [
    ("193377", "16493903", "2 November 2021 17:58", "2021-11-02T17:58:00+03:00"),
    ("201554", "20220383", "19.07.2022 12:46", "2022-07-19T12:46:00+03:00"),
    ("186010", "13249623", "2021-03-22 10:50", "2021-03-22T10:50:00+03:00"),
    ("213406", "24975693", "14 июня 2023 18:17", "2023-06-14T18:17:00+03:00"),
    ("226718", "31443673", "5 September 2024 22: 15", "2024-09-05T22:15:00+03:00"),
])
def test_absolute_comment_dates(site, news_id, comment_id, raw, posted_at):
    comment = comments_by_id(site.articles[f"en.topwar.ru:{news_id}"])[comment_id]
    assert (comment["posted_at_raw"], comment["posted_at"]) == (raw, posted_at)


@pytest.mark.parametrize(("news_id", "comment_id", "score"), [
    ("179625", "10520063", 2),
    ("179625", "10519713", 0),
    ("193377", "16493903", -3),
    ("226718", "31443673", 15),  # " +15 " with stray spaces
    ("226718", "31443883", -3),  # U+2212 minus
    ("175112", "7014603", None),  # "—": rating disabled
    ("193377", "16493893", None),  # deleted: no rating
])
def test_comment_scores(site, news_id, comment_id, score):
    assert comments_by_id(site.articles[f"en.topwar.ru:{news_id}"])[comment_id]["score"] == score


def _at(when: datetime) -> str:
    return when.astimezone(MSK).replace(second=0, microsecond=0).isoformat()


def test_calendar_style_relative_dates_resolve_against_the_capture_time(site, replica):
    anchor = replica.anchor.astimezone(MSK)
    midnight = anchor.replace(hour=0, minute=0)
    yesterday = midnight - timedelta(days=1)
    expected = {
        _at(yesterday.replace(hour=9, minute=12)), _at(yesterday.replace(hour=11, minute=47)),
        _at(yesterday.replace(hour=21, minute=40)), _at(max(midnight, anchor - timedelta(hours=1))),
        _at(max(midnight, anchor - timedelta(hours=3))),
    }
    article = site.articles["en.topwar.ru:249305"]
    assert {c["posted_at"] for c in article["comments"]} == expected


def test_ago_style_relative_dates_resolve_against_the_capture_time(site, replica):
    anchor = replica.anchor.astimezone(MSK)
    article = site.articles["en.topwar.ru:249418"]
    fetched = datetime.fromisoformat(article["fetched_at"])
    late = fetched - anchor  # how long after the site's clock anchor the page was fetched
    for comment, ago in zip(article["comments"], [timedelta(hours=5), timedelta(hours=3, minutes=15),
                                                  timedelta(hours=2, minutes=10), timedelta(minutes=40),
                                                  timedelta(minutes=5)], strict=True):
        posted = datetime.fromisoformat(comment["posted_at"])
        unit = timedelta(hours=1) if "hour" in comment["posted_at_raw"] or "час" in comment["posted_at_raw"] \
            else timedelta(minutes=1)
        # The page rounds down to its unit and we read to the minute: the true time is within one unit.
        assert anchor - ago - unit - timedelta(minutes=1) <= posted <= anchor - ago + late + unit


def test_max_articles_stops_the_crawl(tmp_path, replica):
    limited = crawl(tmp_path, "-a", f"start_urls={replica.url}", "-a", "max_articles=3")
    assert limited.returncode == 0, limited.output
    assert len(limited.lines) == 3


def test_since_skips_older_articles_and_stops_paging(tmp_path, replica):
    yesterday = (replica.anchor.astimezone(MSK) - timedelta(days=1)).date().isoformat()
    recent = crawl(tmp_path, "-a", f"start_urls={replica.url}", "-a", f"since={yesterday}")
    assert recent.returncode == 0, recent.output
    assert sorted(recent.articles) == ["en.topwar.ru:249305", "en.topwar.ru:249418", "en.topwar.ru:249502"]
    assert "/page/2/" not in fetched_urls(recent), "the listing's first page already reached 'since'"


def test_start_url_can_be_an_article(tmp_path, replica):
    seed = f"{replica.url}179625-a-source-reveals-the-kremlins-reaction-to-large-scale-protests-in-belarus.html"
    single = crawl(tmp_path, "-a", f"start_urls={seed}")
    assert single.returncode == 0, single.output
    assert [line["id"] for line in single.lines] == ["en.topwar.ru:179625"]


@pytest.mark.parametrize(("argument", "message"), [
    ("max_articles=many", "spider argument max_articles: 'many' is not a whole number"),
    ("since=yesterday", "spider argument since: 'yesterday' is not an ISO date like 2020-09-13"),
    ("start_url=http://x/", "spider argument start_url: unknown argument"),
])
def test_bad_arguments_stop_the_crawl_before_it_starts(tmp_path, argument, message):
    refused = crawl(tmp_path, "-a", argument)
    assert refused.returncode == 2
    assert message in refused.output
    assert refused.lines == []


@pytest.mark.parametrize(("setting", "message"), [
    ("WARC_GZIP_LEVEL=11", "setting WARC_GZIP_LEVEL must be at least 0 and at most 9, got 11"),
    ("WARC_MAX_SIZE=big", "setting WARC_MAX_SIZE must be a whole number, got 'big'"),
])
def test_bad_warc_settings_stop_the_crawl_before_it_starts(tmp_path, setting, message):
    refused = crawl(tmp_path, "-s", setting)
    assert refused.returncode == 2
    assert message in refused.output
    assert not (tmp_path / "archive").exists()


def test_same_article_under_two_urls_gives_one_complete_line(tmp_path, replica):
    article = f"{replica.url}207880-long-endurance-drones-of-the-future-what-the-experience-of-recent-conflicts-says.html"
    twice = crawl(tmp_path, "-a", f"start_urls={article},{article}?utm_source=feed")
    assert twice.returncode == 0, twice.output
    (line,) = twice.lines
    assert line["id"] == "en.topwar.ru:207880"
    assert len(line["sources"]) == 3, "the article page and both comment pages that answer"
    assert "'newsarchive/duplicate_articles': 1" in twice.output


@pytest.fixture
def gone_site() -> Iterator[str]:
    """A site where an article URL now redirects to the front page (a removed article)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            if self.path == "/100-a-removed-story.html":
                self.send_response(301)
                self.send_header("Location", "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = b"<html><head><title>Front page</title></head><body></body></html>"
            self.send_response(200 if self.path == "/" else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_article_redirected_to_a_non_article_page_keeps_its_id(tmp_path, gone_site):
    done = crawl(tmp_path, "-a", f"start_urls={gone_site}/100-a-removed-story.html")
    assert done.returncode == 0, done.output
    (line,) = done.lines
    jsonschema.validate(line, SCHEMA)
    assert line["id"] == "en.topwar.ru:100"
    assert line["warnings"] == [f"article page redirected to a page that is not an article: {gone_site}/"]
    assert [(s["url"], s["status"]) for s in line["sources"]] == [
        (f"{gone_site}/100-a-removed-story.html", 301), (f"{gone_site}/", 200)]

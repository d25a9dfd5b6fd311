"""The replica site, read over HTTP as a stranger would, against expectations written out by hand.

What each fixed story is for is documented in ``crawler/replica/__init__.py``;
these tests hold the site to that documentation.
"""

from __future__ import annotations

import gzip
import http.client
import json
import random
import re
import socket
import subprocess
import sys
import urllib.parse
import urllib.robotparser
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
from conftest import ReplicaServer, start_replica
from parsel import Selector

from crawler.replica import content
from crawler.replica.clock import MSK, DateStyle, Relative, render
from crawler.replica.grammar import Grammar
from crawler.replica.pager import page_numbers
from crawler.replica.typos import roughen

SEED_PATH = "/179625-a-source-reveals-the-kremlins-reaction-to-large-scale-protests-in-belarus.html"
BIG_PATH = "/213406-main-battle-tanks-of-the-future-what-the-experience-of-recent-conflicts-says.html"
CP1251_PATH = "/176840-chernomorskiy-flot-poluchil-novyy-patrulnyy-korabl.html"
TRUNCATED_PATH = "/247801-a-new-modification-of-the-himars-was-shown-for-the-first-time.html"
MISSING_TITLE_PATH = "/247705-germany-to-receive-the-first-batch-of-pantsir-s1-air-defence-systems.html"
GONE_PATH = "/247744-talks-on-arms-supplies-to-poland-reached-a-dead-end.html"
RENAMED_OLD_PATH = "/247610-the-project-22350-frigate-admiral-golovko-will-join-the-fleet-in-2029.html"
RENAMED_PATH = "/247610-construction-of-the-project-22350-frigate-admiral-golovko-fell-behind-schedule.html"
BLOG_PATH = "/blogs/3117-notes-of-a-reservist-a-week-at-the-training-camp.html"
NO_COMMENTS_PATH = "/244120-the-first-ah-64e-apache-entered-service-with-the-vietnamese-armed-forces.html"

SEED_PARAGRAPHS = [
    "Large-scale protests have been going on in Belarus for over a month.",
    "The Belarusian security forces do not stand on ceremony with the protesters and",
    "The visit is to take place on September 14, 2020,",
    "According to people close to the Kremlin,",
    "A month ago, Putin announced that,",
    "In an interview with Russian media on September 9, 2020,",
]


@dataclass
class Fetched:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes  # decoded from chunked framing, still gzip-compressed if it was sent so

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def text(self) -> str:
        raw = gzip.decompress(self.body) if self.header("Content-Encoding") == "gzip" else self.body
        return raw.decode("utf-8")

    @property
    def html(self) -> Selector:
        return Selector(text=self.text)


def fetch(
    base: str, path: str, method: str = "GET", headers: dict[str, str] | None = None, body: bytes | None = None
) -> Fetched:
    """One request on a fresh connection; redirects are not followed."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Fetched(response.status, response.reason, response.getheaders(), response.read())
    finally:
        connection.close()


def raw_exchange(base: str, request: bytes) -> bytes:
    """The exact bytes the server sends back for *request* (which must ask to close the connection)."""
    parts = urllib.parse.urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def netloc(server: ReplicaServer) -> bytes:
    return urllib.parse.urlsplit(server.url).netloc.encode()


def texts(selector: Selector, css: str) -> list[str]:
    return [" ".join(s.css("::text").getall()) for s in selector.css(css)]


# --- the seed article -------------------------------------------------------------------------


def test_seed_article_shows_title_body_and_boilerplate(replica: ReplicaServer) -> None:
    page = fetch(replica.url, SEED_PATH)
    assert page.status == 200
    doc = page.html
    title = "A source reveals the Kremlin's reaction to large-scale protests in Belarus"
    assert doc.css("title::text").get() == f"{title} - Military Review"
    assert doc.css("h1.article__title::text").get() == title
    assert doc.css("a.article__comments-count::text").get() == "2"
    assert doc.css(".comments__title::text").get() == "2 comments"
    assert " ".join(doc.css(".comments__info .berrors ::text").getall()) == (
        "Information Dear reader, to leave comments on the publication, you must  sign in ."
    )
    assert doc.css('link[rel="canonical"]::attr(href)').get() == f"https://en.topwar.ru{SEED_PATH}"
    assert doc.css('meta[property="article:published_time"]::attr(content)').get() == "2020-09-13T15:24:00+03:00"
    assert doc.css(".article__author a::text").get() == "Dmitry Sokolovsky"
    assert doc.css(".article__tags a::text").getall() == [
        "Belarus", "Russia", "Vladimir Putin", "Alexander Lukashenko", "protests"
    ]  # fmt: skip
    body = doc.css("#news-id-179625")
    assert body.css("img::attr(src)").get() == "/uploads/posts/2020-09/1600000880_belarus-protests.jpg"
    inner = re.fullmatch(r'<div id="news-id-179625" style="display:inline;">(.*)</div>', body.get(), re.S).group(1)
    paragraphs = [p.strip() for p in re.split(r"<br><br>|<div style=.*?</div>", inner) if p.strip()]
    plain = [Selector(text=p).xpath("string()").get().strip() for p in paragraphs]
    assert len(plain) == 6
    for text, start in zip(plain, SEED_PARAGRAPHS, strict=True):
        assert text.startswith(start)
    assert plain[5].endswith("he does not want the protests to spread to Russia.")
    assert "Moscow doesn’t trust Lukashenka" in plain[3]


def test_seed_article_comments_are_exact(replica: ReplicaServer) -> None:
    doc = fetch(replica.url, SEED_PATH).html
    items = doc.css("ol.comments-tree-list > li.comments-tree-item")
    assert [i.attrib["id"] for i in items] == ["comments-tree-item-10519713", "comments-tree-item-10520063"]
    first, second = items
    assert first.css(".comment__author::text").get() == "Vladimir_2U"
    assert first.css(".comment__date::text").get() == "13 September 2020 20: 59"
    assert first.css("#comments-ratig-layer-10519713 .ratingtypeplusminus::attr(class)").get().endswith("ratingzero")
    assert first.css("#comments-ratig-layer-10519713 span::text").get() == "0"
    assert first.css("#comm-id-10519713 .quote::text").get() == (
        "The Belarusian security forces do not stand on ceremony with the protesters."
    )
    assert first.css("#comm-id-10519713::text").getall()[-1] == (
        "Interesting protesters - not a single Belarusian flag? Maybe that's why they don't stand on ceremony, "
        "because these are not Belarusian protesters?"
    )
    assert second.css(".comment__author::text").get() == "Sergey39"
    assert second.css(".comment__date::text").get() == "13 September 2020 21: 34"
    assert second.css("#comments-ratig-layer-10520063 span::text").get() == "+2"
    text_html = second.css("#comm-id-10520063").get()
    assert text_html.count("<br>") == 4
    assert '??! <img src="/engine/data/emoticons/what.gif" alt="what" class="emoji"><br>' in text_html
    assert second.css("#comm-id-10520063::text").getall()[-1] == "IMHO"


# --- listings ---------------------------------------------------------------------------------


def test_main_listing_has_ten_pages_of_twenty(replica: ReplicaServer) -> None:
    first = fetch(replica.url, "/").html
    assert len(first.css("#dle-content .short-story")) == 20
    assert first.css("title::text").get() == "Military Review"
    assert first.css(".navigation span::text").get() == "1"
    assert first.css(".navigation a.nav-next::attr(href)").get() == f"{replica.url}page/2/"
    assert first.css(".navigation a::text").getall()[-2:] == ["10", "Next"]
    last = fetch(replica.url, "/page/10/").html
    assert len(last.css(".short-story")) == 20
    assert not last.css(".nav-next")
    assert fetch(replica.url, "/page/11/").status == 404


def test_main_listing_links_the_faulty_stories_on_page_one(replica: ReplicaServer) -> None:
    links = fetch(replica.url, "/").html.css(".short-story__title a::attr(href)").getall()
    for path in (TRUNCATED_PATH, MISSING_TITLE_PATH, GONE_PATH, RENAMED_OLD_PATH, BLOG_PATH):
        assert f"{replica.url.rstrip('/')}{path}" in links
    dates = texts(fetch(replica.url, "/").html, ".short-story__date")
    assert re.fullmatch(r"(Today, |Yesterday )\d\d:\d\d", dates[0])


def test_section_listing_paginates(replica: ReplicaServer) -> None:
    news = fetch(replica.url, "/news/").html
    assert news.css("title::text").get() == "News - Military Review"
    assert {a for a in news.css(".short-story__cat::text").getall()} == {"News"}
    assert news.css(".navigation a.nav-next::attr(href)").get() == f"{replica.url}news/page/2/"
    assert fetch(replica.url, "/news/page/2/").status == 200
    assert fetch(replica.url, "/nosuchsection/").status == 404


def test_every_link_on_main_page_and_seed_article_resolves(replica: ReplicaServer) -> None:
    seen: set[str] = set()
    for page in ("/", SEED_PATH):
        doc = fetch(replica.url, page).html
        seen |= set(doc.css("a::attr(href), link::attr(href), img::attr(src), script::attr(src)").getall())
    local = {
        urllib.parse.urlsplit(urllib.parse.urljoin(replica.url, u)) for u in seen if not u.startswith(("#", "https://"))
    }
    statuses = {u.geturl(): fetch(replica.url, u.path + (f"?{u.query}" if u.query else "")).status for u in local}
    broken = {u: s for u, s in statuses.items() if s not in (200, 301)}
    assert broken == {f"{replica.url.rstrip('/')}{GONE_PATH}": 404}


# --- comment pages as JSON --------------------------------------------------------------------


def comments_json(replica: ReplicaServer, news_id: int, cstart: int) -> Fetched:
    return fetch(
        replica.url,
        f"/engine/ajax/controller.php?mod=comments&cstart={cstart}&news_id={news_id}&skin=Military&massact=disable",
    )


def test_big_article_comments_span_sixteen_pages(replica: ReplicaServer) -> None:
    doc = fetch(replica.url, BIG_PATH).html
    assert doc.css("a.article__comments-count::text").get() == "652"
    pager = doc.css(".dle-comments-navigation .pagination")
    assert pager.css("a::text").getall() == ["2", "3", "15", "16", "Next"]
    assert pager.css(".nav_ext::text").get() == "..."
    ids = [int(i) for i in doc.css("li.comments-tree-item::attr(id)").re(r"(\d+)$")]
    for page in range(2, 17):
        reply = comments_json(replica, 213406, page)
        assert reply.status in (200, 503)
        if reply.status == 503:
            reply = comments_json(replica, 213406, page)
        assert reply.header("Content-Type") == "application/json; charset=utf-8"
        data = json.loads(reply.text)
        assert set(data) == {"navigation", "comments"}
        part = Selector(text=data["comments"])
        assert len(part.xpath("/html/body/ol/li")) == (18 if page == 16 else 20)
        ids += [int(i) for i in part.css("li.comments-tree-item::attr(id)").re(r"(\d+)$")]
    assert len(ids) == len(set(ids)) == 652
    chain = doc.css("#comments-tree-item-24974073 " + " > ol > li" * 8)
    assert len(chain) >= 1
    deleted = doc.css("#comments-tree-item-24973653")
    assert deleted.css(".comment--deleted") and len(deleted.css(":scope > ol > li")) == 4


def test_comment_json_edge_cases(replica: ReplicaServer) -> None:
    assert json.loads(comments_json(replica, 207880, 99).text) == {"navigation": "", "comments": ""}
    assert list(json.loads(comments_json(replica, 1, 1).text)) == ["error"]
    first = json.loads(comments_json(replica, 179625, 1).text)
    assert "comments-tree-item-10519713" in first["comments"]
    assert fetch(replica.url, "/engine/ajax/controller.php?mod=nothing").status == 404
    assert "\\/div>" in comments_json(replica, 179625, 1).text  # PHP's json_encode escapes slashes


def test_malformed_json_page_is_cut_every_time(replica: ReplicaServer) -> None:
    for _ in range(2):
        with pytest.raises(json.JSONDecodeError):
            json.loads(comments_json(replica, 207880, 2).text)
    for page in (1, 3):
        assert json.loads(comments_json(replica, 207880, page).text)["comments"].startswith("<ol")


def test_overloaded_json_page_fails_only_the_first_time(tmp_path) -> None:
    server = start_replica(tmp_path / "access.log")
    try:
        first = comments_json(server, 213406, 7)
        assert (first.status, first.reason) == (503, "Service Temporarily Unavailable")
        assert first.header("Content-Length") == str(len(first.body))
        assert b"<center><h1>503 Service Temporarily Unavailable</h1></center>" in first.body
        again = comments_json(server, 213406, 7)
        assert again.status == 200
        assert json.loads(again.text)["navigation"].startswith('<div class="pagination">')
    finally:
        server.stop()


# --- the broken pages -------------------------------------------------------------------------


def test_renamed_story_redirects_permanently(replica: ReplicaServer) -> None:
    moved = fetch(replica.url, RENAMED_OLD_PATH)
    assert (moved.status, moved.reason) == (301, "Moved Permanently")
    assert moved.header("Location") == f"{replica.url.rstrip('/')}{RENAMED_PATH}"
    assert fetch(replica.url, RENAMED_PATH).status == 200


def test_gone_story_and_unknown_paths_answer_dle_404(replica: ReplicaServer) -> None:
    for path in (GONE_PATH, "/no/such/page", "/999999-x.html"):
        page = fetch(replica.url, path)
        assert page.status == 404
        assert page.header("Content-Length") == str(len(page.body))
        assert "the requested page was not found" in page.text


def test_cp1251_page_has_no_charset_anywhere(replica: ReplicaServer) -> None:
    page = fetch(replica.url, CP1251_PATH)
    assert page.header("Content-Type") == "text/html"
    assert b"charset" not in page.body.lower()
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("utf-8")
    doc = Selector(text=page.body.decode("cp1251"))
    assert doc.css("html::attr(lang)").get() == "ru"
    assert doc.css("h1::text").get() == "Черноморский флот получил новый патрульный корабль"
    assert doc.css(".comment__date::text").getall() == [
        "7 апреля 2020 14:31", "7 апреля 2020 15:10", "7 апреля 2020 15:42", "7 апреля 2020 18:03", "8 апреля 2020 09:27"
    ]  # fmt: skip
    profile = doc.css(".comment__author::attr(href)").get()
    assert profile.endswith("/user/%C4%E5%E4+%CC%E0%E7%E0%E9/")
    assert fetch(replica.url, urllib.parse.urlsplit(profile).path).status == 200


def test_truncated_story_stops_mid_body(replica: ReplicaServer) -> None:
    for encoding in ("identity", "gzip"):
        page = fetch(replica.url, TRUNCATED_PATH, headers={"Accept-Encoding": encoding})
        assert page.status == 200
        assert page.header("Content-Length") == str(len(page.body))
        assert page.header("Transfer-Encoding") is None
        text = page.text
        assert 'id="news-id-247801"' in text
        assert 'class="comments"' not in text and "</html>" not in text
        assert not text.rstrip().endswith(">")


def test_missing_title_story(replica: ReplicaServer) -> None:
    doc = fetch(replica.url, MISSING_TITLE_PATH).html
    assert doc.css("title::text").get() == "Military Review"
    assert doc.css("h1.article__title").get() == '<h1 class="article__title"></h1>'
    assert len(doc.css("#news-id-247705").xpath("string()").get()) > 200
    assert doc.css(".comments__title::text").get() == "5 comments"


def test_story_without_comments(replica: ReplicaServer) -> None:
    doc = fetch(replica.url, NO_COMMENTS_PATH).html
    assert doc.css("a.article__comments-count::text").get() == "0"
    assert not doc.css(".comments__title")
    assert doc.css("#dle-comments-list ol.comments-tree-list").get() == '<ol class="comments-tree-list"></ol>'
    assert not doc.css(".dle-comments-navigation")


# --- what readers write -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_article_comments(replica: ReplicaServer) -> list[Selector]:
    """Every comment item of the 652-comment story, from its page and its 15 JSON pages."""
    items = list(fetch(replica.url, BIG_PATH).html.css("#dle-comments-list li.comments-tree-item"))
    for page in range(2, 17):
        reply = comments_json(replica, 213406, page)
        if reply.status == 503:  # the page that fails once
            reply = comments_json(replica, 213406, page)
        items += Selector(text=json.loads(reply.text)["comments"]).css("li.comments-tree-item")
    return items


def own_words(item: Selector) -> list[str]:
    """The text lines a comment's writer typed, quotes left out."""
    text = item.xpath("./div/div/div[@class='comment__text']/div")
    return [t.strip() for t in text.xpath("./text() | ./b/text() | ./i/text()").getall() if t.strip()]


def parent_author(item: Selector) -> str | None:
    return item.xpath("ancestor::li[1]/div//*[contains(@class, 'comment__author')]/text()").get()


def test_reader_comments_seldom_repeat_a_sentence(big_article_comments: list[Selector]) -> None:
    sentences = [s for item in big_article_comments for line in own_words(item)
                 for s in re.split(r"(?<=[.!?])\s+", line) if len(s.split()) > 3]  # fmt: skip
    assert len(sentences) > 1000
    assert len(set(sentences)) / len(sentences) > 0.85
    assert max(sentences.count(s) for s in set(sentences)) <= 6


def test_reader_comments_answer_quote_and_link_like_a_forum(big_article_comments: list[Selector]) -> None:
    replies = [(item, parent_author(item)) for item in big_article_comments if parent_author(item)]
    by_name = [item for item, parent in replies if own_words(item) and own_words(item)[0].startswith(f"{parent}, ")]
    named_quotes = [item for item, parent in replies if item.css(".title_quote::text").get() == f"Quote: {parent}"]
    assert len(by_name) >= 30 and len(named_quotes) >= 15
    texts = [" ".join(own_words(item)) for item in big_article_comments]
    assert sum(1 for t in texts if re.search(r"\d", t)) >= 150
    assert sum(1 for item in big_article_comments if item.css(".comment__text > div > br")) >= 150
    links = [href for item in big_article_comments
             for href in item.css(".comment__text a[target=_blank]::attr(href)").getall()]  # fmt: skip
    assert len(links) >= 20 and all(link.startswith("https://") for link in links)
    slips = ("teh ", "u ", "dont", "doesnt", ")))", "??", "!!")
    assert sum(1 for t in texts if any(slip in t for slip in slips)) >= 20


# --- dates and scores -------------------------------------------------------------------------


def comment_dates(replica: ReplicaServer, path: str) -> dict[str, str]:
    doc = fetch(replica.url, path).html
    return {
        li.attrib["id"].removeprefix("comment-id-"): (li.css(".comment__date::text").get() or "")
        for li in doc.css("div[id^=comment-id-]")
    }


@pytest.mark.parametrize(
    ("path", "pattern"),
    [
        (SEED_PATH, r"13 September 2020 2\d: \d\d"),
        (
            "/193377-the-universal-landing-ship-tcg-anadolu-went-to-sea-for-factory-trials.html",
            r"2 November 2021 \d\d:\d\d",
        ),
        ("/201554-is-the-leopard-2a7-really-as-good-as-it-is-said-to-be.html", r"(19|20)\.07\.2022 \d\d:\d\d"),
        ("/186010-the-bmp-3-hit-a-target-at-a-distance-of-3-km.html", r"2021-03-2[23] \d\d:\d\d"),
        (CP1251_PATH, r"[78] апреля 2020 \d\d:\d\d"),
    ],
)
def test_comment_date_variant_per_story(replica: ReplicaServer, path: str, pattern: str) -> None:
    page = fetch(replica.url, path)
    body = page.body.decode("cp1251") if path == CP1251_PATH else page.text
    dates = Selector(text=body).css(".comment__date::text").getall()
    assert dates and all(re.fullmatch(pattern, d) for d in dates), dates


def test_untranslated_dates_appear_on_the_big_article(replica: ReplicaServer) -> None:
    dates = comment_dates(replica, BIG_PATH)
    assert re.fullmatch(r"\d\d? июня 2023 \d\d:\d\d", dates["24975693"])
    assert sum("June 2023" in d for d in dates.values()) > 40


def test_unreadable_and_empty_dates(replica: ReplicaServer) -> None:
    dates = comment_dates(replica, "/238250-a-snap-combat-readiness-check-began-in-the-ashuluk-training-ground.html")
    assert dates["37974443"] == "31 Smarch 2020 25:61"
    assert dates["37975203"] == ""


def test_relative_dates_render_against_the_request_time(replica: ReplicaServer) -> None:
    before = datetime.now(MSK)
    ago = comment_dates(replica, "/249418-serbia-and-its-allies-will-hold-joint-manoeuvres-near-the-persian-gulf.html")
    calendar = comment_dates(replica, "/249305-deliveries-of-k2-black-panther-to-greece-postponed-until-2029.html")
    after = datetime.now(MSK)
    minutes = lambda since: {int((t - (replica.anchor - since)).total_seconds() // 60) for t in (before, after)}  # noqa: E731
    hours = lambda since: {m // 60 for m in minutes(since)}  # noqa: E731
    shown = list(ago.values())
    assert shown[0] in {f"{n} hours ago" for n in hours(timedelta(hours=5))}
    assert shown[1] in {f"{n} часа назад" for n in hours(timedelta(hours=3, minutes=15))} | {"4 часа назад"}
    assert shown[2] in {f"{n} hours ago" for n in hours(timedelta(hours=2, minutes=10))}
    assert shown[3] in {f"{n} minutes ago" for n in minutes(timedelta(minutes=40))} | {"1 hour ago"}
    assert shown[4] in {f"{n} minutes ago" for n in minutes(timedelta(minutes=5))}
    yesterday = (replica.anchor - timedelta(days=1)).date() == (before - timedelta(days=1)).date()
    if yesterday:  # the test runs on the anchor's day, as it does unless it straddles midnight
        assert list(calendar.values())[:3] == ["Yesterday 09:12", "Yesterday 11:47", "Вчера, 21:40"]
        assert re.fullmatch(r"Сегодня, \d\d:\d\d", list(calendar.values())[3])
        assert re.fullmatch(r"Today, \d\d:\d\d", list(calendar.values())[4])


def score_texts(replica: ReplicaServer, path: str) -> dict[str, str]:
    doc = fetch(replica.url, path).html
    return {
        s.attrib["id"].removeprefix("comments-ratig-layer-"): "".join(s.css("span::text").getall())
        for s in doc.css("span[id^=comments-ratig-layer-]")
    }


@pytest.mark.parametrize(
    ("path", "comment_id", "shown"),
    [
        (SEED_PATH, "10520063", "+2"),
        (SEED_PATH, "10519713", "0"),
        ("/193377-the-universal-landing-ship-tcg-anadolu-went-to-sea-for-factory-trials.html", "16493903", "-3"),
        ("/193377-the-universal-landing-ship-tcg-anadolu-went-to-sea-for-factory-trials.html", "16493893", ""),
        ("/226718-a-new-modification-of-the-pantsir-s1-was-shown-for-the-first-time.html", "31443673", " +15 "),
        ("/226718-a-new-modification-of-the-pantsir-s1-was-shown-for-the-first-time.html", "31443883", "\u22123"),
    ],
)
def test_comment_score_variants(replica: ReplicaServer, path: str, comment_id: str, shown: str) -> None:
    assert score_texts(replica, path)[comment_id] == shown


def test_rating_disabled_on_old_comments(replica: ReplicaServer) -> None:
    scores = score_texts(replica, "/175112-the-tu-2-strengths-and-weaknesses-through-the-eyes-of-veterans.html")
    assert len(scores) == 14 and set(scores.values()) == {"—"}


def test_deleted_comment_keeps_its_place_and_replies(replica: ReplicaServer) -> None:
    doc = fetch(replica.url, "/193377-the-universal-landing-ship-tcg-anadolu-went-to-sea-for-factory-trials.html").html
    item = doc.css("#comments-tree-item-16493893")
    assert item.css(".comment--deleted .comment-deleted::text").get() == "Comment deleted by moderator."
    assert item.css(".comment--deleted .comment__author::text").get() is None
    assert item.css(".comment__date::text").get() == "2 November 2021 17:57"
    assert len(item.css(":scope > ol.comments-tree-list > li")) == 2


# --- robots, feeds, wire ----------------------------------------------------------------------


def test_robots_txt_disallows_blogs_and_names_the_sitemap(replica: ReplicaServer) -> None:
    robots = fetch(replica.url, "/robots.txt")
    assert robots.header("Content-Type") == "text/plain"
    assert robots.header("Content-Length") == str(len(robots.body))
    lines = robots.body.decode().splitlines()
    for rule in ("Disallow: /engine/go.php", "Disallow: /user/", "Disallow: /*do=search", "Disallow: /blogs/"):
        assert rule in lines
    host = urllib.parse.urlsplit(replica.url).netloc
    assert lines[-2:] == [f"Host: {host}", f"Sitemap: http://{host}/sitemap.xml"]
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(lines)
    assert not parser.can_fetch("newsarchive", replica.url + BLOG_PATH.lstrip("/"))
    assert parser.can_fetch("newsarchive", replica.url + SEED_PATH.lstrip("/"))
    assert fetch(replica.url, BLOG_PATH).status == 200  # a rude crawler would get it


def test_sitemap_and_rss(replica: ReplicaServer) -> None:
    sitemap = Selector(text=fetch(replica.url, "/sitemap.xml").text, type="xml")
    sitemap.remove_namespaces()
    locs = sitemap.css("url > loc::text").getall()
    assert f"{replica.url.rstrip('/')}{SEED_PATH}" in locs
    assert f"{replica.url.rstrip('/')}{GONE_PATH}" not in locs
    assert len(locs) == 1 + 5 + 198
    rss = Selector(text=fetch(replica.url, "/rss.xml").text, type="xml")
    assert len(rss.css("item")) == 20
    assert rss.css("item > link::text").get().startswith(replica.url)


def test_php_pages_are_gzipped_and_chunked_on_the_wire(replica: ReplicaServer) -> None:
    host = urllib.parse.urlsplit(replica.url).netloc
    raw = raw_exchange(
        replica.url,
        f"GET {SEED_PATH} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n".encode(),
    )
    head, _, rest = raw.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0] == "HTTP/1.1 200 OK"
    names = [line.split(":")[0] for line in lines[1:]]
    assert "Content-Length" not in names
    for expected in ("Server: nginx", "Content-Type: text/html; charset=utf-8", "Vary: Accept-Encoding",
                     "X-Powered-By: PHP/7.4.33", "Content-Encoding: gzip", "Transfer-Encoding: chunked",
                     "Last-Modified: Sun, 13 Sep 2020 12:24:00 GMT"):  # fmt: skip
        assert expected in lines
    cookies = [line for line in lines if line.startswith("Set-Cookie: ")]
    assert [c.split("=")[0] for c in cookies] == ["Set-Cookie: PHPSESSID", "Set-Cookie: dle_newpm"]
    body, chunks = b"", 0
    while True:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            break
        body, rest, chunks = body + rest[:size], rest[size + 2 :], chunks + 1
    assert rest == b"\r\n"
    assert gzip.decompress(body).startswith(b"<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/robots.txt", "text/plain"),
        ("/templates/Military/css/styles.css", "text/css"),
        ("/templates/Military/js/main.js", "application/javascript"),
        ("/templates/Military/dleimages/noavatar.png", "image/png"),
        ("/engine/data/emoticons/what.gif", "image/gif"),
        ("/uploads/posts/2020-09/1600000880_belarus-protests.jpg", "image/jpeg"),
    ],
)
def test_files_from_disk_carry_content_length_and_no_gzip(replica: ReplicaServer, path: str, content_type: str) -> None:
    page = fetch(replica.url, path, headers={"Accept-Encoding": "gzip"})
    assert (page.status, page.header("Content-Type")) == (200, content_type)
    assert page.header("Content-Length") == str(len(page.body))
    assert page.header("Content-Encoding") is None and page.header("X-Powered-By") is None


def test_no_gzip_unless_accepted(replica: ReplicaServer) -> None:
    for accept, gzipped in [
        ({}, False),
        ({"Accept-Encoding": "gzip;q=0"}, False),
        ({"Accept-Encoding": "br, gzip"}, True),
    ]:
        page = fetch(replica.url, "/page/2/", headers=accept)
        assert (page.header("Content-Encoding") == "gzip") is gzipped
        assert page.text.startswith("<!DOCTYPE html>")


def test_head_and_search(replica: ReplicaServer) -> None:
    head = fetch(replica.url, SEED_PATH, method="HEAD")
    assert (head.status, head.body) == (200, b"")
    found = fetch(replica.url, "/index.php?do=search", method="POST", body=b"do=search&subaction=search&story=belarus",
                  headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert found.html.css(".short-story__title a::attr(href)").getall() == [f"{replica.url.rstrip('/')}{SEED_PATH}"]
    assert fetch(replica.url, "/index.php?newsid=179625").header("Location").endswith(SEED_PATH)


# --- determinism and start-up -----------------------------------------------------------------


def test_same_seed_and_anchor_give_the_same_bytes(replica: ReplicaServer, tmp_path) -> None:
    other = start_replica(tmp_path / "access.log", anchor=replica.anchor)
    try:
        for path in (
            "/page/3/",
            BIG_PATH,
            "/sitemap.xml",
            "/engine/ajax/controller.php?mod=comments&cstart=4&news_id=213406",
        ):
            mine, theirs = fetch(replica.url, path).body, fetch(other.url, path).body
            assert theirs.replace(netloc(other), b"HOST") == mine.replace(netloc(replica), b"HOST")
    finally:
        other.stop()


def test_another_seed_changes_ordinary_stories_only() -> None:
    anchor = datetime(2026, 11, 25, 12, 0, tzinfo=MSK)
    one, two = content.build(1, anchor), content.build(2, anchor)
    assert [a.title for a in one.stories] != [a.title for a in two.stories]
    fixed = [179625, 213406, 207880, 247610, 249418]
    assert [one.articles[i].path for i in fixed] == [two.articles[i].path for i in fixed]
    assert [c.id for c in one.articles[213406].comments()] == [c.id for c in two.articles[213406].comments()]


def test_earlier_anchor_is_refused_with_a_clear_error() -> None:
    result = subprocess.run([sys.executable, "-m", "crawler.replica", "--now", "2025-01-01T00:00+03:00"],
                            capture_output=True, text=True, timeout=30)  # fmt: skip
    assert result.returncode == 2
    assert "earlier than 2026-11-01" in result.stderr
    assert result.stdout == ""


# --- size -------------------------------------------------------------------------------------

ANCHOR = datetime(2026, 11, 25, 12, 0, tzinfo=MSK)


@pytest.fixture(scope="module")
def big_site() -> content.SiteContent:
    return content.build(anchor=ANCHOR, articles=2000)


def test_more_articles_keep_every_fixed_story(big_site: content.SiteContent) -> None:
    default = content.build(anchor=ANCHOR)
    assert len(big_site.stories) == 2000
    for story in default.stories:
        if story.topic is None or story.text_seed.startswith("special/"):
            same = big_site.articles.get(story.id) or big_site.blogs[story.id]
            assert (same.listed_path, same.title, same.comment_count) == (
                story.listed_path, story.title, story.comment_count)
            assert [(c.id, c.author, c.posted) for c in same.comments()] == [
                (c.id, c.author, c.posted) for c in story.comments()]


@pytest.mark.parametrize(
    ("news_id", "page"),
    [(249502, 1), (3117, 1), (247610, 1), (244120, 7), (213406, 50), (179625, 91), (176840, 98), (175112, 100)],
)
def test_fixed_stories_land_on_the_documented_pages_of_a_2000_story_listing(
    big_site: content.SiteContent, news_id: int, page: int
) -> None:
    position = next(i for i, a in enumerate(big_site.stories) if a.id == news_id)
    assert position // 20 + 1 == page


def test_ordinary_comment_trees_are_drawn_when_first_shown(big_site: content.SiteContent) -> None:
    ordinary = [a for a in big_site.stories if a.text_seed.startswith(f"{content.DEFAULT_SEED}/")]
    assert len(ordinary) == 1979
    talked = next(a for a in ordinary if a.unwritten is not None and a.comment_count > 30)
    declared, newest = talked.comment_count, talked.last_comment_id
    assert talked.threads and talked.unwritten is None
    assert (talked.comment_count, max(c.id for c in talked.comments())) == (declared, newest)


@pytest.mark.parametrize("articles", [200, 2000])
def test_ids_grow_with_time_whatever_the_size(articles: int) -> None:
    site = content.build(anchor=ANCHOR, articles=articles)
    assert len(site.stories) == articles
    dated = sorted((a.posted, a.id) for a in site.stories if a.id != 3117)
    assert [i for _, i in dated] == sorted(i for _, i in dated)
    assert 175000 < dated[0][1] and dated[-1][1] == 249502
    comments = sorted((c.posted, c.id) for a in site.stories for c in a.comments())
    assert [i for _, i in comments] == sorted(i for _, i in comments)
    assert len({i for _, i in comments}) == len(comments)
    assert all(c.posted > c.parent.posted for a in site.stories for c in a.comments() if c.parent)


@pytest.mark.parametrize("articles", [20, 10001])
def test_article_count_out_of_range_is_refused(articles: int) -> None:
    with pytest.raises(ValueError, match=f"from 21 .* to 10000, not {articles}"):
        content.build(anchor=ANCHOR, articles=articles)


@pytest.mark.parametrize("command", [["crawler.replica"], ["crawler", "replica"]])
def test_article_count_out_of_range_stops_the_command(command: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", *command, "--port", "0", "--articles", "5"],
                            capture_output=True, text=True, timeout=30)  # fmt: skip
    assert (result.returncode, result.stdout) == (2, "")
    assert "the number of articles must be from 21 (the fixed stories) to 10000, not 5" in result.stderr


def test_a_2000_story_replica_over_http(tmp_path) -> None:
    server = start_replica(tmp_path / "access.log", articles=2000)
    try:
        first = fetch(server.url, "/").html
        assert first.css(".navigation a::text").getall()[-2:] == ["100", "Next"]
        assert len(fetch(server.url, "/page/100/").html.css(".short-story")) == 20
        assert fetch(server.url, "/page/101/").status == 404
        middle = fetch(server.url, "/page/50/").html
        links = middle.css(".short-story__title a::attr(href)").getall()
        counts = [int(n) for n in middle.css(".short-story__comments::text").getall()]
        assert f"{server.url.rstrip('/')}{BIG_PATH}" in links
        path, count = next((urllib.parse.urlsplit(u).path, n) for u, n in zip(links, counts) if 0 < n <= 20)
        story = fetch(server.url, path).html
        assert story.css("a.article__comments-count::text").get() == str(count)
        assert len(story.css("div[id^=comment-id-]")) == count
        sitemap = Selector(text=fetch(server.url, "/sitemap.xml").text, type="xml")
        sitemap.remove_namespaces()
        assert len(sitemap.css("url > loc::text").getall()) == 1 + 5 + 1998
    finally:
        server.stop()


# --- pure functions ---------------------------------------------------------------------------

NOW = datetime(2026, 11, 25, 14, 30, tzinfo=MSK)


@pytest.mark.parametrize(
    ("when", "style", "relative", "shown"),
    [
        (
            datetime(2020, 9, 13, 20, 59, tzinfo=MSK),
            DateStyle.TRANSLATED,
            Relative.CALENDAR,
            "13 September 2020 20: 59",
        ),
        (datetime(2020, 9, 13, 20, 59, tzinfo=MSK), DateStyle.PLAIN, Relative.NEVER, "13 September 2020 20:59"),
        (datetime(2020, 9, 13, 20, 59, tzinfo=MSK), DateStyle.RUSSIAN, Relative.AGO, "13 сентября 2020 20:59"),
        (datetime(2020, 9, 3, 8, 5, tzinfo=MSK), DateStyle.NUMERIC, Relative.CALENDAR, "03.09.2020 08:05"),
        (datetime(2020, 9, 13, 17, 59, tzinfo=MSK), DateStyle.ISO, Relative.CALENDAR, "2020-09-13 17:59"),
        (
            datetime(2020, 9, 13, 17, 59, tzinfo=MSK).astimezone(timezone.utc),
            DateStyle.ISO,
            Relative.NEVER,
            "2020-09-13 17:59",
        ),
        (datetime(2026, 11, 25, 14, 5, tzinfo=MSK), DateStyle.TRANSLATED, Relative.CALENDAR, "Today, 14:05"),
        (datetime(2026, 11, 25, 0, 0, tzinfo=MSK), DateStyle.RUSSIAN, Relative.CALENDAR, "Сегодня, 00:00"),
        (datetime(2026, 11, 24, 9, 12, tzinfo=MSK), DateStyle.TRANSLATED, Relative.CALENDAR, "Yesterday 09:12"),
        (datetime(2026, 11, 24, 9, 12, tzinfo=MSK), DateStyle.RUSSIAN, Relative.CALENDAR, "Вчера, 09:12"),
        (
            datetime(2026, 11, 23, 23, 59, tzinfo=MSK),
            DateStyle.TRANSLATED,
            Relative.CALENDAR,
            "23 November 2026 23: 59",
        ),
        (datetime(2026, 11, 25, 14, 25, tzinfo=MSK), DateStyle.TRANSLATED, Relative.AGO, "5 minutes ago"),
        (datetime(2026, 11, 25, 14, 29, 30, tzinfo=MSK), DateStyle.TRANSLATED, Relative.AGO, "1 minute ago"),
        (datetime(2026, 11, 25, 12, 10, tzinfo=MSK), DateStyle.TRANSLATED, Relative.AGO, "2 hours ago"),
        (datetime(2026, 11, 25, 11, 15, tzinfo=MSK), DateStyle.RUSSIAN, Relative.AGO, "3 часа назад"),
        (datetime(2026, 11, 25, 9, 0, tzinfo=MSK), DateStyle.RUSSIAN, Relative.AGO, "5 часов назад"),
        (datetime(2026, 11, 25, 14, 9, tzinfo=MSK), DateStyle.RUSSIAN, Relative.AGO, "21 минуту назад"),
        (datetime(2026, 11, 24, 14, 31, tzinfo=MSK), DateStyle.TRANSLATED, Relative.AGO, "23 hours ago"),
        (datetime(2026, 11, 24, 14, 30, tzinfo=MSK), DateStyle.TRANSLATED, Relative.AGO, "Yesterday 14:30"),
        (datetime(2026, 11, 23, 14, 30, tzinfo=MSK), DateStyle.TRANSLATED, Relative.AGO, "23 November 2026 14: 30"),
        (datetime(2026, 11, 25, 15, 0, tzinfo=MSK), DateStyle.TRANSLATED, Relative.CALENDAR, "25 November 2026 15: 00"),
    ],
)
def test_date_rendering(when: datetime, style: DateStyle, relative: Relative, shown: str) -> None:
    assert render(when, style, relative, NOW) == shown


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        ("plain {slot} text", "plain {slot} text"),
        ("[only]", "only"),
        ("a[]b", "ab"),
        ("<greeting>, {name}!", "Hello, {name}!"),
        ("[x [<thing>]]", "x the {system}"),
        ("<thing> [[is]] <nested>", "the {system} is deep down"),
    ],
)
def test_grammar_expands_rules_alternatives_and_keeps_slots(text: str, expanded: str) -> None:
    rules = {"greeting": ["Hello"], "thing": ["[the {system}]"], "nested": ["<deeper>"], "deeper": ["deep [down]"]}
    assert Grammar(rules).expand(random.Random(1), text) == expanded


def test_grammar_draws_every_alternative() -> None:
    grammar, rng = Grammar({"mood": ["[good|bad]", "<other>"], "other": ["so-so"]}), random.Random(7)
    assert {grammar.pick(rng, "mood") for _ in range(200)} == {"good", "bad", "so-so"}


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"a": ["<b>"]}, "refers to unknown rules ['b']"),
        ({"a": []}, "has no productions"),
        ({"a": ["x | y"]}, "stray ] or | outside [ ]"),
        ({"a": ["x]"]}, "stray ] or | outside [ ]"),
        ({"a": ["[x|y"]}, "leaves a [ open"),
    ],
)
def test_grammar_refuses_broken_rules(rules: dict[str, list[str]], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        Grammar(rules)


def test_grammar_stops_on_a_rule_that_never_ends() -> None:
    with pytest.raises(ValueError, match="does not end"):
        Grammar({"loop": ["again <loop>"]}).pick(random.Random(1), "loop")


def test_slips_never_touch_protected_names() -> None:
    rng = random.Random(5)
    sentence = "Sergey39, I really believe bayard: their equipment isn't what the troops need."
    changed = set()
    for _ in range(300):
        [slipped] = roughen(rng, [sentence], frozenset({"Sergey39", "bayard"}))
        assert slipped.startswith("Sergey39,") and " bayard:" in slipped
        changed.add(slipped)
    assert len(changed) > 50


@pytest.mark.parametrize(
    ("page", "pages", "numbers"),
    [
        (1, 1, [1]),
        (3, 10, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        (1, 16, [1, 2, 3, None, 15, 16]),
        (8, 16, [1, 2, None, 6, 7, 8, 9, 10, None, 15, 16]),
        (16, 16, [1, 2, None, 14, 15, 16]),
        (4, 11, [1, 2, 3, 4, 5, 6, None, 10, 11]),
    ],
)
def test_pager_numbers(page: int, pages: int, numbers: list[int | None]) -> None:
    assert page_numbers(page, pages) == numbers

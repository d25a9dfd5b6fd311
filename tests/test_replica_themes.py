"""The replica's themes and variants, read over HTTP with lxml, against the markup its docstring promises.

Each theme runs as its own ``python -m crawler.replica`` process on 127.0.0.1
(started once per option set for this module). Expected values are written
out by hand from DLE's templates and engine sources, as documented in
``crawler/replica/__init__.py`` ("Themes and variants").
"""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import lxml.html
import pytest

from crawler.replica.clock import MSK
from crawler.replica.server import make_site
from crawler.replica.variant import Variant

SEED_PATH = "/179625-a-source-reveals-the-kremlins-reaction-to-large-scale-protests-in-belarus.html"
BIG_SLUG = "213406-main-battle-tanks-of-the-future-what-the-experience-of-recent-conflicts-says"
BIG_PATH = f"/{BIG_SLUG}.html"
PLAIN_DATES_PATH = "/193377-the-universal-landing-ship-tcg-anadolu-went-to-sea-for-factory-trials.html"
CP1251_PATH = "/176840-chernomorskiy-flot-poluchil-novyy-patrulnyy-korabl.html"
RU_2012_PATH = "/2877-v-kronshtadte-spustili-na-vodu-tralshchik.html"
RU_SWITCH_PATH = "/5391-flot-poluchil-dizelnuyu-podlodku.html"
RU_FRESH_PATH = "/40210-desantniki-otrabotali-nochnoe-desantirovanie.html"
DELETED_OPENER = 24973653  # the big article's first thread opener, deleted, with four replies
JSON_PATH = "/engine/ajax/controller.php?mod=comments&cstart={page}&news_id={news_id}&skin=Default"


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def doc(self, encoding: str = "utf-8") -> lxml.html.HtmlElement:
        return lxml.html.document_fromstring(self.body.decode(encoding))

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Site:
    url: str
    process: subprocess.Popen[bytes]

    def get(self, path: str, host: str | None = None) -> Reply:
        """*path* on a fresh connection; *host* as the Host header (links are built from it), else the server's."""
        parts = urllib.parse.urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.request("GET", path, headers={"Host": host} if host else {})
            response = connection.getresponse()
            return Reply(response.status, response.getheaders(), response.read())
        finally:
            connection.close()


def start(*options: str, anchor: datetime | None = None) -> Site:
    """``python -m crawler.replica`` with *options* on a free port; its first line is its URL."""
    anchor = anchor or datetime.now(MSK).replace(second=0, microsecond=0)
    command = [sys.executable, "-m", "crawler.replica", "--port", "0", "--now", anchor.isoformat(), *options]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    line = process.stdout.readline().decode().strip()
    if not line.startswith("http://"):
        process.kill()
        raise RuntimeError(f"the replica {' '.join(options)} did not start")
    return Site(line, process)


# One clock anchor for every server of the module, so their fresh stories agree.
MODULE_ANCHOR = datetime.now(MSK).replace(second=0, microsecond=0)


@pytest.fixture(scope="module")
def sites() -> Iterator[dict[tuple[str, ...], Site]]:
    running: dict[tuple[str, ...], Site] = {}
    yield running
    for site in running.values():
        site.process.terminate()
        site.process.wait()
        assert site.process.stdout is not None
        site.process.stdout.close()


@pytest.fixture(scope="module")
def site(sites: dict[tuple[str, ...], Site]):
    """``site("--theme", "dle14")``: the replica with those options, started on first use."""

    def get(*options: str) -> Site:
        if options not in sites:
            sites[options] = start(*options, anchor=MODULE_ANCHOR)
        return sites[options]

    return get


def texts(doc: lxml.html.HtmlElement, css: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in doc.cssselect(css)]


def ids(doc: lxml.html.HtmlElement, prefix: str) -> list[int]:
    return [int(e.get("id").removeprefix(prefix)) for e in doc.cssselect(f'[id^="{prefix}"]')]


# --- choosing a variant ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--theme", "military", "--ratings", "guest"], "--theme military has no --ratings choice (it shows member)"),
        (["--theme", "smartphone", "--ratings", "likes"], "--theme smartphone has no --ratings choice"),
        (["--site", "ru", "--theme", "topwar"], "--site ru is a stock DLE site: --theme topwar is not one of"),
        (["--theme", "military", "--comments", "flat"], "--theme military has no --comments choice (it shows tree)"),
        (["--theme", "plain"], "invalid choice: 'plain'"),
    ],
)
@pytest.mark.parametrize("command", [["crawler.replica"], ["crawler", "replica"]])
def test_a_combination_no_theme_shows_is_refused(command: list[str], options: list[str], message: str) -> None:
    done = subprocess.run([sys.executable, "-m", *command, "--port", "0", *options], capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""


def test_newsarchive_replica_passes_the_variant_on() -> None:
    process = subprocess.Popen([sys.executable, "-m", "crawler", "replica", "--port", "0", "--site", "ru",
                                "--comments", "flat"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)  # fmt: skip
    assert process.stdout is not None
    try:
        served = Site(process.stdout.readline().decode().strip(), process)
        doc = served.get(RU_2012_PATH).doc("cp1251")
        assert texts(doc, ".logo_title") == ["Военный вестник"]
        assert doc.cssselect("ol.comments-tree-list") == []
        assert ids(doc, "comment-id-") == [58112, 58139, 58150, 58204, 58233]  # flat: 58171's reply stays
    finally:
        process.terminate()
        process.wait()
        process.stdout.close()


@pytest.mark.parametrize(
    ("theme", "variant", "message"),
    [
        ("plain", None, "unknown theme 'plain'"),
        (None, Variant(site="ru", theme="military"), "--site ru is a stock DLE site"),
        (None, Variant(theme="smartphone", ratings="member"), "--theme smartphone has no --ratings choice"),
        (None, Variant(charset="latin-1"), "--charset 'latin-1': choose from utf-8, windows-1251"),
    ],
)
def test_make_site_refuses_what_no_theme_shows(theme: str | None, variant: Variant | None, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        make_site(now=MODULE_ANCHOR, theme=theme, variant=variant)


def test_make_site_takes_a_theme_and_a_variant() -> None:
    site = make_site(now=MODULE_ANCHOR, theme="dle14", variant=Variant(comments="flat"))
    assert site.resource.router.variant == Variant("en", "dle14", "guest", "flat", "absent", "utf-8")


def test_military_is_the_default_and_byte_identical_when_named(site) -> None:
    plain, named = site(), site("--theme", "military", "--site", "en")
    for path in ("/", SEED_PATH, "/engine/ajax/controller.php?mod=comments&cstart=2&news_id=213406&massact=disable"):
        assert plain.get(path, "replica.test").body == named.get(path, "replica.test").body


@pytest.mark.parametrize(
    "options",
    [("--theme", "dle14"), ("--theme", "topwar"), ("--site", "ru"), ("--theme", "dle14", "--comments", "flat")],
)
def test_same_options_seed_and_anchor_give_the_same_bytes(options: tuple[str, ...]) -> None:
    anchor = datetime(2026, 11, 20, 12, 0, tzinfo=MSK)
    one, two = start(*options, anchor=anchor), start(*options, anchor=anchor)
    try:
        path = RU_2012_PATH if "ru" in options else BIG_PATH
        news_id = 2877 if "ru" in options else 213406
        for url in ("/", "/page/2/", path, JSON_PATH.format(page=1, news_id=news_id)):
            assert one.get(url, "replica.test").body == two.get(url, "replica.test").body, url
    finally:
        for s in (one, two):
            s.process.terminate()
            s.process.wait()
            s.process.stdout.close()


# --- dle14: the stock Default template, as a guest sees it ------------------------------------------


def test_dle14_story_has_no_news_id_wrapper_and_a_date_only_time_element(site) -> None:
    reply = site("--theme", "dle14").get(SEED_PATH)
    assert reply.header("Content-Type") == "text/html; charset=utf-8"
    doc = reply.doc()
    assert texts(doc, "article.fullstory h2.title") == [
        "A source reveals the Kremlin's reaction to large-scale protests in Belarus"
    ]
    assert doc.cssselect('[id^="news-id-"]') == []
    body = doc.cssselect("article.fullstory .text")[0]
    assert body.text_content().strip().startswith("Large-scale protests have been going on in Belarus for over a")
    assert body.text_content().strip().endswith("he does not want the protests to spread to Russia.")
    time = doc.cssselect(".story_date time")[0]
    assert (time.get("datetime"), time.text) == ("2020-09-13", "13 September 2020, 15:24")
    assert texts(doc, ".story_date a") == ["Dmitry Sokolovsky"]
    assert doc.cssselect("title")[0].text == (
        "A source reveals the Kremlin's reaction to large-scale protests in Belarus » Military Review"
    )
    assert doc.cssselect('meta[name="news_keywords"]')[0].get("content") == (
        "Belarus,Russia,Vladimir Putin,Alexander Lukashenko,protests"
    )
    assert texts(doc, ".tag_list a") == ["Belarus", "Russia", "Vladimir Putin", "Alexander Lukashenko", "protests"]
    assert doc.cssselect('meta[property="article:published_time"]') == []
    assert texts(doc, "#dle-comm-link") == ["2"]


def test_dle14_comments_in_engine_markup_with_guest_ratings(site) -> None:
    reply = site("--theme", "dle14").get(SEED_PATH)
    assert b"<div id='comment-id-10519713'><div class=\"comment\" id=\"1\">" in reply.body
    doc = reply.doc()
    items = doc.cssselect("#dle-comments-list > ol.comments-tree-list > li.comments-tree-item")
    assert [i.get("id") for i in items] == ["comments-tree-item-10519713", "comments-tree-item-10520063"]
    assert texts(doc, ".com_user b.name") == ["Vladimir_2U", "Sergey39"]
    assert texts(doc, ".com_user .grey") == ["13 Sep 2020 20:59", "13 Sep 2020 21:34"]
    assert texts(doc, "#comment-id-10520063 span.ratingtypeplusminus.ratingplus") == ["+2"]
    assert texts(doc, "#comment-id-10519713 span.ratingtypeplusminus.ratingzero") == ["0"]
    assert doc.cssselect('[id^="comments-ratig-layer-"], [id^="ratig-layer-"]') == []
    assert b'<span class="ratingtypeplusminus ignore-select ratingplus" >+2</span>' in reply.body
    quote = doc.cssselect("#comm-id-10519713 div.quote")[0]
    assert quote.text_content() == "The Belarusian security forces do not stand on ceremony with the protesters."
    assert doc.cssselect("#comm-id-10520063 img.emoji")[0].get("alt") == "what"


def test_dle14_big_article_pager_calls_comments_page_and_keeps_the_stale_next_link(site) -> None:
    doc = site("--theme", "dle14").get(BIG_PATH).doc()
    pager = doc.cssselect("div.dle-comments-navigation")[0]
    page_two = pager.cssselect(".pages a")[0]
    assert page_two.text == "2"
    assert page_two.get("href") == f"/page,1,2,{BIG_SLUG}.html#comment"
    assert page_two.get("onclick") == f"CommentsPage('2', '213406', '/page,1,2,{BIG_SLUG}.html#comment'); return false;"
    assert [a.text for a in pager.cssselect(".pages a")] == [str(n) for n in range(2, 11)] + ["16"]
    assert texts(pager, ".pages .nav_ext") == ["..."]
    nxt = pager.cssselect(".page_next a")[0]
    assert nxt.get("href").endswith(f"/page,1,2,{BIG_SLUG}.html#comment")
    assert nxt.get("href").startswith("http://127.0.0.1:")
    assert nxt.get("onclick") == f"CommentsPage('16', '213406', '/page,1,16,{BIG_SLUG}.html#comment'); return false;"
    assert pager.cssselect(".page_prev > span")


def test_dle14_comment_json_is_served_as_html_and_matches_the_friendly_url(site) -> None:
    dle14 = site("--theme", "dle14")
    reply = dle14.get(JSON_PATH.format(page=2, news_id=213406))
    assert reply.header("Content-Type") == "text/html; charset=utf-8"
    assert b"\\/" not in reply.body
    data = reply.json()
    assert data["comments"].startswith('<ol class="comments-tree-list">')
    assert data["comments"].endswith('</ol><div id="dle-ajax-comments"></div>')
    assert "CommentsPage('1', '213406'" in data["navigation"]
    disabled = json_page(dle14, 2)
    assert disabled["comments"].endswith("</ol>")
    first_thread = fragment(disabled["comments"]).cssselect("div > ol > li")[0].get("id")
    page = dle14.get(f"/page,1,2,{BIG_SLUG}.html")
    assert page.status == 200
    assert page.doc().cssselect("#dle-comments-list > ol > li")[0].get("id") == first_thread
    assert page.doc().cssselect("title")[0].text.startswith("Main battle tanks of the future")
    assert "» Page 2 »" in page.doc().cssselect("title")[0].text
    beyond = dle14.get(f"/page,1,99,{BIG_SLUG}.html")
    assert (beyond.status, beyond.header("Location")) == (301, f"{dle14.url.rstrip('/')}{BIG_PATH}")
    assert dle14.get(JSON_PATH.format(page=1, news_id=179625)).json()["navigation"] is None
    unknown = dle14.get(JSON_PATH.format(page=1, news_id=1))
    assert (unknown.body, unknown.header("Content-Type")) == (b"Hacking attempt!", "text/html; charset=utf-8")


def json_page(site: Site, page: int, news_id: int = 213406) -> dict:
    """A comment page's JSON; the big article's page 7 fails once per server (a 503), so ask twice."""
    reply = site.get(JSON_PATH.format(page=page, news_id=news_id) + "&massact=disable")
    if reply.status == 503:
        reply = site.get(JSON_PATH.format(page=page, news_id=news_id) + "&massact=disable")
    return reply.json()


def fragment(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html, create_parent="div")


def test_dle14_deleted_comment_goes_with_its_replies(site) -> None:
    military = site().get(BIG_PATH).doc()
    opener = military.cssselect(f"#comments-tree-item-{DELETED_OPENER}")[0]
    assert len(opener.cssselect(":scope > ol > li")) == 4
    subtree = ids(opener, "comments-tree-item-")
    others = [i for i in ids(military, "comments-tree-item-") if i not in subtree]
    dle14 = site("--theme", "dle14")
    doc = dle14.get(BIG_PATH).doc()
    shown = ids(doc, "comments-tree-item-")
    assert not set(subtree) & set(shown)
    assert shown[: len(others)] == others
    pages = int(doc.cssselect(".dle-comments-navigation .pages a")[-1].text)
    for page in range(2, pages + 1):
        shown += ids(fragment(json_page(dle14, page)["comments"]), "comments-tree-item-")
    assert len(shown) == len(set(shown))
    assert texts(doc, "#dle-comm-link") == [str(len(shown))]  # the count is of the comments still there
    assert len(shown) <= 652 - len(subtree)


def test_flat_comments_keep_the_replies_of_a_deleted_comment_and_lose_the_tree(site) -> None:
    military = site().get(BIG_PATH).doc()
    replies = [int(li.get("id").removeprefix("comments-tree-item-"))
               for li in military.cssselect(f"#comments-tree-item-{DELETED_OPENER} > ol > li")]  # fmt: skip
    flat = site("--theme", "dle14", "--comments", "flat")
    doc = flat.get(BIG_PATH).doc()
    assert doc.cssselect("ol.comments-tree-list, li.comments-tree-item") == []
    shown = ids(doc, "comment-id-")
    assert len(shown) == 20 and shown == sorted(shown)
    assert DELETED_OPENER not in shown
    assert set(replies) <= set(shown) | set(ids(fragment(json_page(flat, 2)["comments"]), "comment-id-"))
    assert doc.cssselect('a[onclick^="dle_reply"]') == []


# --- ratings ---------------------------------------------------------------------------------------


def test_member_ratings_are_wrapped_and_carry_vote_links(site) -> None:
    doc = site("--theme", "dle14", "--ratings", "member").get(SEED_PATH).doc()
    layer = doc.cssselect("#comments-ratig-layer-10520063")[0]
    assert layer.get("class") == "ignore-select"
    assert texts(layer, "span.ratingtypeplusminus.ratingplus") == ["+2"]
    assert len(doc.cssselect("#comment-id-10520063 a[onclick^=\"doCommentsRate('plus', '10520063')\"]")) == 1
    assert doc.cssselect("#ratig-layer-179625 span.ratingtypeplusminus")


@pytest.mark.parametrize(("path", "comment_id", "score"), [(SEED_PATH, 10520063, 2), (SEED_PATH, 10519713, 0),
                                                          (PLAIN_DATES_PATH, 16493903, -3)])  # fmt: skip
def test_likes_and_dislikes_add_up_to_the_score(site, path: str, comment_id: int, score: int) -> None:
    doc = site("--theme", "dle14", "--ratings", "likes", "--comments", "flat").get(path).doc()
    likes = int(doc.cssselect(f"#comments-likes-id-{comment_id}")[0].text)
    dislikes = int(doc.cssselect(f"#comments-dislikes-id-{comment_id}")[0].text)
    assert likes - dislikes == score
    assert likes >= 0 and dislikes >= 0
    assert doc.cssselect(f"#comments-likes-id-{comment_id}")[0].getparent().get("class") == (
        "ratingtypeplusminus ignore-select ratingplus"
    )


# --- topwar -----------------------------------------------------------------------------------------


def test_topwar_story_as_public_scrapers_read_it(site) -> None:
    doc = site("--theme", "topwar").get(SEED_PATH).doc()
    (heading,) = doc.cssselect("article h1.heading")
    assert heading.get("class") == "heading fs-15 fs-sm-2 fs-md-2 font"
    (meta,) = doc.cssselect("article div.meta")
    assert meta.get("class") == "meta fs-0875 c-muted fw-b"
    time = meta.cssselect("time.meta__time")[0]
    assert (time.get("datetime"), time.text) == ("2020-09-13T15:24:00+03:00", "13 September 2020 15:24")
    assert texts(meta, "a.meta__author") == ["Dmitry Sokolovsky"]
    (body,) = doc.cssselect("div.pfull-cont.text")
    assert body.get("class") == "pfull-cont text"
    assert texts(body, "div.banner-full-story") == ["Military Review in Telegram: subscribe"]
    assert texts(doc, "a.meta__comments") == ["2"]
    assert texts(doc, ".comment__name") == ["Vladimir_2U", "Sergey39"]
    assert texts(doc, ".comment__time") == ["13 September 2020 20: 59", "13 September 2020 21: 34"]
    assert texts(doc, ".comment__votes span.ratingtypeplusminus") == ["0", "+2"]
    assert ids(doc, "comm-id-") == [10519713, 10520063]


def test_topwar_listing_links_and_pager(site) -> None:
    topwar = site("--theme", "topwar")
    doc = topwar.get("/").doc()
    links = doc.cssselect("a.item-link")
    assert len(links) == 20
    assert all(re.fullmatch(r"http://127\.0\.0\.1:\d+/(blogs/)?\d+-[a-z0-9-]+\.html", a.get("href")) for a in links)
    assert doc.cssselect("nav.pages-list a")[-1].text == "10"
    assert doc.cssselect("nav.pages-list span")[0].text == "1"


def test_topwar_blanks_a_deleted_comment_and_keeps_its_replies(site) -> None:
    doc = site("--theme", "topwar").get(BIG_PATH).doc()
    item = doc.cssselect(f"#comments-tree-item-{DELETED_OPENER}")[0]
    assert texts(item, f"#comm-id-{DELETED_OPENER}") == ["Comment deleted by moderator."]
    assert texts(item, f"#comment-id-{DELETED_OPENER} .comment__name") != [""]
    assert len(item.cssselect(":scope > ol > li")) == 4


# --- smartphone and drifted --------------------------------------------------------------------------


def test_smartphone_comments_are_vcards_numbered_by_page_position(site) -> None:
    doc = site("--theme", "smartphone").get(SEED_PATH).doc()
    cards = doc.cssselect("div.comment.vcard")
    assert [c.get("id") for c in cards] == ["comid-1", "comid-2"]
    assert [c.getparent().get("id") for c in cards] == ["comment-id-10519713", "comment-id-10520063"]
    assert texts(doc, "b.arg.fn") == ["Vladimir_2U", "Sergey39"]
    assert texts(doc, ".com-inf span.arg") == ["13 Sep 2020 20:59", "13 Sep 2020 21:34"]
    assert doc.cssselect(".ratingtypeplusminus") == []
    assert texts(doc, ".fullstory h1.title") == [
        "A source reveals the Kremlin's reaction to large-scale protests in Belarus"
    ]


def test_smartphone_pager_has_only_previous_and_next(site) -> None:
    doc = site("--theme", "smartphone").get(BIG_PATH).doc()
    pager = doc.cssselect("div.dle-comments-navigation .pager")[0]
    assert [a.get("onclick") for a in pager.cssselect("a")] == [
        f"CommentsPage('16', '213406', '/page,1,16,{BIG_SLUG}.html#comment'); return false;"
    ]
    assert texts(pager, "a") == ["Next page"]


KNOWN_CLASSES = ("article__title", "article__date", "comment__author", "comment__date", "heading", "meta__time",
                 "pfull-cont", "title", "story_date", "name", "grey", "arg", "comment", "item-link", "pages-list",
                 "fullstory", "text", "post-cont", "comment__name", "comment__time")  # fmt: skip


def test_drifted_theme_keeps_the_engine_markup_only(site) -> None:
    drifted = site("--theme", "drifted")
    doc = drifted.get(SEED_PATH).doc()
    classes = {c for e in doc.iter() if isinstance(e.tag, str) for c in (e.get("class") or "").split()}
    assert not classes & set(KNOWN_CLASSES)
    assert doc.cssselect("time, h1, h2") == []
    assert ids(doc, "comment-id-") == [10519713, 10520063]
    assert ids(doc, "comm-id-") == [10519713, 10520063]
    assert doc.cssselect('meta[property="og:title"]')[0].get("content").startswith("A source reveals")
    assert texts(drifted.get("/").doc(), ".nv-card-title")[:1] != []


# --- the faulty stories, in every engine theme --------------------------------------------------------

ENGINE_THEMES = ("dle14", "topwar", "smartphone", "drifted")
TRUNCATED_PATH = "/247801-a-new-modification-of-the-himars-was-shown-for-the-first-time.html"
MISSING_TITLE_PATH = "/247705-germany-to-receive-the-first-batch-of-pantsir-s1-air-defence-systems.html"
CALENDAR_PATH_ID = 249305  # posted yesterday 08:30; comments yesterday and today


@pytest.mark.parametrize("theme", ENGINE_THEMES)
def test_faulty_stories_stay_faulty_in_every_theme(site, theme: str) -> None:
    served = site("--theme", theme)
    cut = served.get(TRUNCATED_PATH)
    assert cut.header("Content-Length") == str(len(cut.body))
    assert b"</html>" not in cut.body and b"dle-comments-list" not in cut.body
    assert served.get(MISSING_TITLE_PATH).doc().cssselect("title")[0].text == "Military Review"
    russian = served.get(CP1251_PATH)
    assert russian.header("Content-Type") == "text/html"
    assert b"charset" not in russian.body.lower()
    assert "Черноморский флот получил новый патрульный корабль" in russian.body.decode("cp1251")
    gone = served.get("/247744-talks-on-arms-supplies-to-poland-reached-a-dead-end.html")
    assert gone.status == 404


def test_stock_dates_are_today_and_yesterday_with_a_comma(site) -> None:
    dle14 = site("--theme", "dle14")
    path = next(a.get("href") for a in dle14.get("/").doc().cssselect("h2.title a")
                if f"/{CALENDAR_PATH_ID}-" in a.get("href"))  # fmt: skip
    doc = dle14.get(urllib.parse.urlsplit(path).path).doc()
    assert texts(doc, ".story_date time") == ["Yesterday, 08:30"]
    dates = texts(doc, ".com_user .grey")
    assert dates[:2] == ["Yesterday, 09:12", "Yesterday, 11:47"]
    assert all(re.fullmatch(r"(Today|Yesterday), \d\d:\d\d", d) for d in dates) and len(dates) == 5


# --- charsets and the Russian site ---------------------------------------------------------------------


def test_windows_1251_is_declared_only_by_meta_http_equiv(site) -> None:
    reply = site("--theme", "dle14", "--charset", "windows-1251").get(SEED_PATH)
    assert reply.header("Content-Type") == "text/html"
    head = reply.body[: reply.body.index(b"</head>")]
    assert b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">' in head
    assert b"<meta charset" not in head
    assert "’".encode("cp1251") in reply.body  # typographic quotes of the body, in windows-1251


def test_russian_site_in_windows_1251_with_dle_dates_and_moscow_summer_offsets(site) -> None:
    ru = site("--site", "ru")
    reply = ru.get(RU_2012_PATH)
    assert reply.header("Content-Type") == "text/html"
    with pytest.raises(UnicodeDecodeError):
        reply.body.decode("utf-8")
    doc = reply.doc("cp1251")
    assert texts(doc, "article.fullstory h2.title") == ["В Кронштадте спустили на воду новый тральщик"]
    assert texts(doc, ".story_date time") == ["17-05-2012, 18:40"]
    assert ids(doc, "comment-id-") == [58112, 58139, 58150, 58233]  # 58171 deleted, and its reply 58204 with it
    assert texts(doc, ".com_user .grey") == ["17-05-2012, 19:05", "17-05-2012, 20:12", "17-05-2012, 20:31",
                                             "18-05-2012, 09:02"]  # fmt: skip
    assert texts(doc, "#comm-id-58139 .title_quote") == ["Цитата: Штурман"]
    assert texts(doc, "#dle-comm-link") == ["4"]
    switch = ru.get(RU_SWITCH_PATH).doc("cp1251")
    assert texts(switch, ".com_user .grey") == ["25-10-2014, 23:55", "26-10-2014, 10:05"]
    answer = ru.get(JSON_PATH.format(page=1, news_id=2877))
    assert answer.header("Content-Type") == "text/html; charset=windows-1251"
    assert answer.body.isascii() and "\\u0428\\u0442\\u0443\\u0440" in answer.body.decode()  # "Штур"


def test_russian_site_shows_today_and_yesterday(site) -> None:
    ru = site("--site", "ru")
    doc = ru.get(RU_FRESH_PATH).doc("cp1251")
    assert texts(doc, ".story_date time") == ["Вчера, 10:05"]
    dates = texts(doc, ".com_user .grey")
    assert dates[:2] == ["Вчера, 11:20", "Вчера, 13:42"]
    assert all(re.fullmatch(r"Сегодня, \d\d:\d\d", d) for d in dates[2:]) and len(dates) == 4
    listing = ru.get("/").doc("cp1251")
    assert re.fullmatch(r"Сегодня, \d\d:\d\d", texts(listing, ".story_date time")[0])
    user = urllib.parse.urlsplit(doc.cssselect("b.name a")[0].get("href")).path
    assert user == "/user/%CF%E5%F5%EE%F2%E0/"  # "Пехота" in windows-1251
    assert ru.get(user).status == 200


def test_russian_site_refuses_what_it_cannot_be() -> None:
    done = subprocess.run([sys.executable, "-m", "crawler.replica", "--port", "0", "--site", "ru", "--articles", "3"],
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 2
    assert "the Russian site has from 7 (the fixed stories) to 2000 articles, not 3" in done.stderr


# --- the engine pieces on their own -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "fmt", "lang", "now", "shown"),
    [
        (datetime(2011, 10, 14, 5, 15, tzinfo=UTC), "d-m-Y, H:i", "ru",
         datetime(2026, 11, 25, 12, 0, tzinfo=MSK), "14-10-2011, 09:15"),
        (datetime(2014, 10, 25, 19, 55, tzinfo=UTC), "d-m-Y, H:i", "ru",
         datetime(2026, 11, 25, 12, 0, tzinfo=MSK), "25-10-2014, 23:55"),
        (datetime(2014, 10, 26, 7, 5, tzinfo=UTC), "d-m-Y, H:i", "ru",
         datetime(2026, 11, 25, 12, 0, tzinfo=MSK), "26-10-2014, 10:05"),
        (datetime(2020, 9, 13, 20, 59, tzinfo=MSK), "j M Y H:i", "en", datetime(2026, 11, 25, tzinfo=MSK),
         "13 Sep 2020 20:59"),
        (datetime(2020, 9, 13, 20, 59, tzinfo=MSK), "j F Y H:i", "ru", datetime(2026, 11, 25, tzinfo=MSK),
         "13 сентября 2020 20:59"),
        (datetime(2026, 11, 25, 0, 5, tzinfo=MSK), "d-m-Y, H:i", "ru", datetime(2026, 11, 25, 23, 59, tzinfo=MSK),
         "Сегодня, 00:05"),
        (datetime(2026, 11, 24, 23, 59, tzinfo=MSK), "j M Y H:i", "en", datetime(2026, 11, 25, 0, 1, tzinfo=MSK),
         "Yesterday, 23:59"),
        (datetime(2026, 11, 23, 23, 59, tzinfo=MSK), "j M Y H:i", "en", datetime(2026, 11, 25, 0, 1, tzinfo=MSK),
         "23 Nov 2026 23:59"),
    ],
)  # fmt: skip
def test_langdate(when: datetime, fmt: str, lang: str, now: datetime, shown: str) -> None:
    from crawler.replica.dle.dates import langdate

    assert langdate(when, fmt, lang, now) == shown


def test_comment_pager_of_three_pages_by_hand() -> None:
    from crawler.replica.dle.navigation import Pager, comment_pager
    from crawler.replica.templates import Template

    pager = Pager(Template("[{prev}|{pages}|{next}]"), "&lt;", "&gt;", {})
    html = comment_pager(pager, 7, 2, 3, "http://h", "/7-x.html")
    assert html == (
        "[<a href=\"/7-x.html#comment\" onclick=\"CommentsPage('1', '7', '/7-x.html#comment'); "
        "return false;\">&lt;</a>|"
        "<a href=\"/7-x.html#comment\" onclick=\"CommentsPage('1', '7', '/7-x.html#comment'); return false;\">1</a> "
        "<span>2</span> "
        "<a href=\"/page,1,3,7-x.html#comment\" onclick=\"CommentsPage('3', '7', '/page,1,3,7-x.html#comment'); "
        "return false;\">3</a> |"
        "<a href=\"http://h/page,1,3,7-x.html#comment\" "
        "onclick=\"CommentsPage('3', '7', '/page,1,3,7-x.html#comment'); return false;\">&gt;</a>]"
    )
    fixed = comment_pager(pager, 7, 1, 3, "http://h", "/7-x.html", stale_next=False)
    assert fixed.endswith(
        "|<a href=\"/page,1,2,7-x.html#comment\" onclick=\"CommentsPage('2', '7', '/page,1,2,7-x.html#comment'); "
        "return false;\">&gt;</a>]"
    )

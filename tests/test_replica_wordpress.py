"""The WordPress replica, read over HTTP as a stranger would, against its documentation, written out by hand.

``crawler/replica/wordpress/__init__.py`` lists every URL and quirk; these tests
hold the site to it. XML and HTML are read with lxml and parsel directly, not
with the crawler's readers.
"""

from __future__ import annotations

import gzip
import http.client
import json
import subprocess
import sys
import urllib.parse
import urllib.robotparser
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from lxml import etree
from parsel import Selector
from wordpress_site import REPO, start_wordpress

from crawler.replica.wordpress.content import build

MULTI = "/2026/03/05/the-long-road-to-a-european-air-defence-shield/"
LIVE = "/2026/03/12/live-coastal-air-defence-drill-under-way-off-rostock/"
PARTNER = "/2026/03/09/partner-content-how-shipyards-are-training-the-next-generation-of-welders/"
CORRECTION = "/2026/02/27/correction-the-range-of-the-iris-t-slm/"
HISTORY = "/2025/10/14/from-the-archive-the-arctic-convoys-of-1942/"
LETTERS = "/2026/02/24/warum-die-bundeswehr-mehr-als-geld-braucht/"
FORUM = "/2026/02/12/readers-forum-should-conscription-return/"
NIGHT = "/2026/02/01/night-vote-in-the-bundestag-clears-the-way-for-new-frigates/"
RENAMED = "/2026/01/20/frigate-sea-trials-delayed-until-spring/"
DOSSIER = "/dossier/the-baltic-sea-cables-a-dossier/"
GONE = "/2025/12/02/minister-visits-the-naval-base-in-kiel/"
ATTACHMENT = f"{MULTI}patriot-launcher-at-dawn/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def page(self) -> Selector:
        return Selector(text=self.body.decode("utf-8"))

    def xml(self) -> etree._Element:
        return etree.fromstring(self.body)

    def jsonld_types(self) -> set[str]:
        graph = json.loads(self.page.css("script.yoast-schema-graph::text").get())["@graph"]
        return {str(node["@type"]) for node in graph}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    running = start_wordpress(tmp_path_factory.mktemp("wordpress") / "access.log")
    yield running.url.rstrip("/")
    running.stop()


def get(site: str, path: str, method: str = "GET", headers: dict[str, str] | None = None) -> Answer:
    parts = urllib.parse.urlsplit(site)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def locs(answer: Answer) -> list[str]:
    return [loc.text for loc in answer.xml().iterfind(".//s:loc", SITEMAP_NS)]


def test_robots_txt_names_three_sitemaps_and_keeps_crawlers_out_of_wp_admin(site):
    answer = get(site, "/robots.txt")
    assert answer.headers["Content-Length"] == str(len(answer.body))
    lines = answer.body.decode().splitlines()
    assert [line for line in lines if line.startswith("Sitemap:")] == [
        f"Sitemap: {site}/sitemap_index.xml", f"Sitemap: {site}/news-sitemap.xml", f"Sitemap: {site}/wp-sitemap.xml"]
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(lines)
    assert not robots.can_fetch("newsarchive", f"{site}/wp-admin/options.php")
    assert robots.can_fetch("newsarchive", f"{site}{MULTI}")


def test_core_sitemap_redirects_to_yoasts_index(site):
    answer = get(site, "/wp-sitemap.xml")
    assert (answer.status, answer.headers["Location"], answer.headers["X-Redirect-By"]) == (
        301, f"{site}/sitemap_index.xml", "Yoast SEO")


def test_sitemap_index(site):
    answer = get(site, "/sitemap_index.xml")
    assert answer.headers["Content-Type"] == "text/xml; charset=UTF-8"
    assert answer.headers["X-Robots-Tag"] == "noindex, follow"
    assert locs(answer) == [f"{site}/{name}.xml" for name in (
        "post-sitemap", "post-sitemap2", "page-sitemap", "dossier-sitemap", "category-sitemap", "post_tag-sitemap",
        "author-sitemap")]


def test_post_sitemaps_as_cached_at_eight(site):
    first, second = locs(get(site, "/post-sitemap.xml")), locs(get(site, "/post-sitemap2.xml"))
    assert (len(first), len(second)) == (25, 23)  # 50 posts, less 2 noindexed and the one published after 08:00, + 1
    urls = first + second
    assert f"{site}{GONE}" in urls and f"{site}{CORRECTION}" in urls and f"{site}{MULTI}" in urls
    for missing in (LIVE, PARTNER, HISTORY, DOSSIER):
        assert f"{site}{missing}" not in urls
    assert get(site, "/post-sitemap3.xml").status == 404
    assert locs(get(site, "/page-sitemap.xml")) == [f"{site}/", f"{site}/about/", f"{site}/privacy-policy/",
                                                    f"{site}/contact/"]
    assert locs(get(site, "/dossier-sitemap.xml")) == [f"{site}{DOSSIER}"]


def test_news_sitemap_lists_the_last_two_days(site):
    root = get(site, "/news-sitemap.xml").xml()
    [url] = root.findall("s:url", SITEMAP_NS)
    assert url.findtext("s:loc", namespaces=SITEMAP_NS) == f"{site}{LIVE}"
    assert url.findtext("news:news/news:publication_date", namespaces=SITEMAP_NS) == "2026-03-12T08:50:00+01:00"
    assert url.findtext("news:news/news:publication/news:name", namespaces=SITEMAP_NS) == "The Meridian Times"


def test_rss_and_atom_feeds_list_the_same_ten_posts(site):
    rss = get(site, "/feed/")
    assert rss.headers["Content-Type"] == "application/rss+xml; charset=UTF-8"
    items = rss.xml().findall("channel/item")
    links = [item.findtext("link") for item in items]
    assert len(links) == 10
    assert links[0] == f"{site}{PARTNER}" and links[-1] == f"{site}{FORUM}"
    assert f"{site}{LIVE}" not in links and f"{site}{MULTI}" in links
    assert items[0].findtext("pubDate") == "Mon, 09 Mar 2026 15:00:00 +0000"
    atom = get(site, "/feed/atom/").xml()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.find("a:link[@rel='alternate']", ns).get("href") for e in atom.findall("a:entry", ns)] == links
    assert atom.find("a:entry/a:published", ns).text == "2026-03-09T15:00:00Z"


def test_comments_feed_links_comments_on_older_pages_through_their_page(site):
    links = [item.findtext("link") for item in get(site, "/comments/feed/").xml().findall("channel/item")]
    assert len(links) == 10
    assert all("#comment-" in link for link in links)


def test_home_page_and_its_pagination(site):
    home = get(site, "/")
    assert home.headers["Content-Type"] == "text/html; charset=UTF-8"
    assert home.page.css('meta[property="og:type"]::attr(content)').get() == "website"
    assert "CollectionPage" in home.jsonld_types()
    assert len(home.page.css("article h2.entry-title a")) == 10
    assert home.page.css('link[rel="next"]::attr(href)').get() == f"{site}/page/2/"
    assert {href.split("/", 3)[3] for href in home.page.css('link[rel="alternate"]::attr(href)').getall()} == {
        "feed/", "comments/feed/", "feed/atom/"}
    last = get(site, "/page/5/").page
    assert len(last.css("article h2.entry-title a")) == 7  # 47 posts on the home page
    assert f"{site}{HISTORY}" in last.css("article h2.entry-title a::attr(href)").getall()
    assert get(site, "/page/6/").status == 404
    assert get(site, "/page/1/").headers["Location"] == f"{site}/"
    for path in ("/", "/page/2/", "/page/3/", "/page/4/"):
        hrefs = get(site, path).page.css("article h2.entry-title a::attr(href)").getall()
        assert f"{site}{LIVE}" not in hrefs and f"{site}{PARTNER}" not in hrefs and f"{site}{CORRECTION}" not in hrefs


def test_a_post_with_three_comment_pages(site):
    post = get(site, MULTI)
    page = post.page
    assert page.css('meta[property="og:type"]::attr(content)').get() == "article"
    assert page.css('meta[property="article:published_time"]::attr(content)').get() == "2026-03-05T09:12:00+00:00"
    assert page.css("time.entry-date.published::attr(datetime)").get() == "2026-03-05T10:12:00+01:00"
    assert page.css("p.entry-standfirst::text").get()
    graph = json.loads(page.css("script.yoast-schema-graph::text").get())["@graph"]
    assert graph[0]["@type"] == "NewsArticle" and graph[0]["commentCount"] == 41
    assert page.css("h2.comments-title::text").get() == "41 comments"
    assert page.css("ol.comment-list > li::attr(id)").getall() == [
        "comment-6173920", "comment-6174720", "comment-6175920", "comment-6177720", "comment-6183720"]
    assert page.css("nav.comments-pagination a::attr(href)").getall() == [
        f"{site}{MULTI}comment-page-2/#comments", f"{site}{MULTI}comment-page-1/#comments",
        f"{site}{MULTI}comment-page-2/#comments"]
    assert page.css("nav.comments-pagination span.current::text").get() == "3"
    first = get(site, f"{MULTI}comment-page-1/").page
    assert len(first.css("ol.comment-list > li.comment")) == 10
    assert len(first.css("li.comment")) == 20
    assert len(get(site, f"{MULTI}comment-page-2/").page.css("li.comment")) == 14
    assert get(site, f"{MULTI}comment-page-4/").status == 404
    assert first.css("link[rel=canonical]::attr(href)").get() == f"{site}{MULTI}"


def test_wordpress_comment_markup(site):
    page = get(site, f"{MULTI}comment-page-1/").page
    opener = page.css("li#comment-6168810")
    assert opener.attrib["class"] == "comment even thread-even depth-1 parent"
    assert opener.css("article#div-comment-6168810.comment-body footer.comment-meta .comment-author b.fn::text").get() \
        == "Jonas Becker"
    assert opener.css(".comment-metadata time::attr(datetime)").get() == "2026-03-05T10:21:00+01:00"
    assert opener.css(".comment-metadata time::text").get() == "March 5, 2026 at 10:21 am"
    assert opener.css(".comment-metadata a::attr(href)").get() == f"{site}{MULTI}comment-page-1/#comment-6168810"
    assert opener.css("div.comment-content > p::text").get() == (
        "Finally someone says it plainly: without common procurement there will be no common shield.")
    reply = opener.css("ol.children > li#comment-6169120")
    assert "bypostauthor" in reply.attrib["class"] and "depth-2" in reply.attrib["class"]
    deepest = page.css("li#comment-6169450 > ol.children > li#comment-6169670")
    assert "depth-5" in deepest.attrib["class"]
    assert not deepest.css("div.reply")  # no Reply link at the deepest level
    assert page.css("li#comment-6168940 b.fn a.url::attr(href)").get() == "https://zielinski-defence.example.org/"
    assert page.css("li#comment-6170030 > article div.comment-content > p::text").getall() == [
        "Two things are missing from the article.", "First, the cost of the interceptors themselves. Second, who "
        "trains the crews?"]


def test_a_pingback_among_the_comments(site):
    page = get(site, NIGHT).page
    assert page.css("li.pingback::attr(id)").getall() == ["comment-5708400"]
    assert page.css("h2.comments-title::text").get() == "4 comments"
    assert page.css("time.entry-date.published::attr(datetime)").get() == "2026-02-01T00:40:00+01:00"
    assert page.css('meta[property="article:published_time"]::attr(content)').get() == "2026-01-31T23:40:00+00:00"


def test_letters_to_the_editor(site):
    page = get(site, LETTERS).page
    assert page.css("html::attr(lang)").get() == "de-DE"
    assert page.css("div.leserbrief::attr(id)").getall() == [
        "leserbrief-6044750", "leserbrief-6045600", "leserbrief-6046800", "leserbrief-6048000", "leserbrief-6058200",
        "leserbrief-6072800"]
    assert page.css("#leserbrief-6046800 > div.leserbrief.antwort::attr(id)").get() == "leserbrief-6048000"
    assert page.css("#leserbrief-6044750 .leserbrief-autor::text").get() == "Hans-Peter Krüger, Kiel"
    assert page.css("#leserbrief-6044750 time::text").get() == "24. Februar 2026 um 19:35 Uhr"
    assert page.css("#leserbrief-6046800 > .leserbrief-text::text").getall() == [
        "Ihr Kommentar spricht mir aus der Seele.", "\nAls ehemaliger Zeitsoldat kann ich jedes Wort bestätigen."]
    assert not page.css("#leserbrief-6046800 > .leserbrief-text p")


def test_forum_thread(site):
    page = get(site, FORUM).page
    assert len(page.css("li[id^=bb_message_]")) == 9
    assert page.css("ul.thread > li#bb_message_5867450 > ul.thread > li#bb_message_5867710 > ul.thread > "
                    "li#bb_message_5867870 .bb-username::text").get() == "Lena Hoffmann"
    assert page.css("#bb_message_5867710 > .bb-message-meta .bb-date::text").get() == "12 Feb 2026, 12:31"


@pytest.mark.parametrize(("path", "types"), [
    ("/about/", {"WebPage", "BreadcrumbList", "WebSite", "Organization"}),
    ("/contact/", {"WebPage", "BreadcrumbList", "WebSite", "Organization"}),
    (ATTACHMENT, {"WebPage", "ImageObject", "BreadcrumbList", "WebSite", "Organization"}),
])
def test_pages_that_are_not_articles_still_say_og_type_article(site, path, types):
    answer = get(site, path)
    assert answer.status == 200
    assert answer.page.css('meta[property="og:type"]::attr(content)').get() == "article"
    assert not answer.page.css('meta[property="article:published_time"]')
    assert answer.jsonld_types() == types


def test_the_dossier_has_no_date_anywhere(site):
    answer = get(site, DOSSIER)
    assert b"<time" not in answer.body and b"article:published_time" not in answer.body
    assert b"datePublished" not in answer.body and b"yoast-schema-graph" not in answer.body
    data = json.loads(answer.page.css('script[type="application/ld+json"]::text').get())
    assert data["@type"] == "Article"


@pytest.mark.parametrize(("path", "status", "location"), [
    (GONE, 404, None),
    ("/2026/01/20/frigate-trials-delayed/", 301, RENAMED),
    (NIGHT.rstrip("/"), 301, NIGHT),
    ("/about", 301, "/about/"),
    ("/?p=1927", 301, MULTI),
    ("/?p=1928", 301, ATTACHMENT),
    ("/no/such/page/", 404, None),
])
def test_redirects_and_missing_pages(site, path, status, location):
    answer = get(site, path)
    assert answer.status == status
    if location:
        assert (answer.headers["Location"], answer.headers["X-Redirect-By"]) == (f"{site}{location}", "WordPress")
    else:
        assert answer.headers["Cache-Control"] == "no-cache, must-revalidate, max-age=0"


def test_wire(site):
    zipped = get(site, MULTI, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.headers["Transfer-Encoding"] == "chunked"
    assert zipped.headers["X-Powered-By"] == "PHP/8.2.16" and zipped.headers["Server"] == "nginx"
    assert gzip.decompress(zipped.body) == get(site, MULTI).body
    assert f"<{site}/?p=1927>; rel=shortlink" in zipped.headers.get_all("Link")
    assert get(site, MULTI, method="POST").status == 405


def test_the_seed_changes_ordinary_posts_only():
    one, other = build(1), build(2)
    fixed = {post.path for post in one.posts if post.id % 5 == 2 or post.post_type == "dossier"}
    assert len(fixed) == 11
    assert fixed == {post.path for post in other.posts if post.id % 5 == 2 or post.post_type == "dossier"}
    assert {p.path for p in one.posts} != {p.path for p in other.posts}
    assert [p.published.date() for p in one.posts] == [p.published.date() for p in other.posts]
    multi = [[c.id for c in post.comments] for site in (one, other) for post in site.posts if post.path == MULTI]
    assert multi[0] == multi[1] and len(multi[0]) == 41


def test_the_command_line_refuses_options_of_the_dle_site(tmp_path):
    for command in (["-m", "crawler.replica", "--site", "wordpress", "--articles", "50"],
                    ["-m", "crawler", "replica", "--site", "wordpress", "--articles", "50"]):
        done = subprocess.run([sys.executable, *command], cwd=REPO, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2
        assert "--site wordpress takes --port and --seed only" in done.stderr

"""The news spider end to end: real crawls of the WordPress replica, checked against hand-written values.

The replica runs in its own process (``python -m crawler.replica --site
wordpress``); each crawl is ``python -m crawler crawl news`` in a subprocess
with the project's settings, into a temporary archive folder. Expected values
come from the replica's documentation (``crawler/replica/wordpress/__init__.py``),
written out here by hand.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from warcio.archiveiterator import ArchiveIterator
from wordpress_site import start_wordpress

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((REPO / "crawler" / "schema" / "article.schema.json").read_text(encoding="utf-8"))
LOCAL = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]

LIVE = "/2026/03/12/live-coastal-air-defence-drill-under-way-off-rostock/"  # only in the news sitemap
PARTNER = "/2026/03/09/partner-content-how-shipyards-are-training-the-next-generation-of-welders/"  # only in feeds
MULTI = "/2026/03/05/the-long-road-to-a-european-air-defence-shield/"  # 41 comments on 3 pages
CORRECTION = "/2026/02/27/correction-the-range-of-the-iris-t-slm/"  # only in the post sitemap
LETTERS = "/2026/02/24/warum-die-bundeswehr-mehr-als-geld-braucht/"
FORUM = "/2026/02/12/readers-forum-should-conscription-return/"
NIGHT = "/2026/02/01/night-vote-in-the-bundestag-clears-the-way-for-new-frigates/"
RENAMED = "/2026/01/20/frigate-sea-trials-delayed-until-spring/"
LETTERS_SHORT = "/2026/01/13/die-wehrpflicht-ist-keine-antwort/"
HISTORY = "/2025/10/14/from-the-archive-the-arctic-convoys-of-1942/"  # only on listings
DOSSIER = "/dossier/the-baltic-sea-cables-a-dossier/"
GONE = "/2025/12/02/minister-visits-the-naval-base-in-kiel/"  # listed in the post sitemap, 404
FIXED = {LIVE, PARTNER, MULTI, CORRECTION, LETTERS, FORUM, NIGHT, RENAMED, LETTERS_SHORT, HISTORY, DOSSIER}
# One ordinary post every four days from 1 October 2025, forty in all, whatever the seed.
ORDINARY_DAYS = {date(2025, 10, 1) + timedelta(days=4 * n) for n in range(40)}
NOT_ARTICLES = ["/", "/about/", "/contact/", "/privacy-policy/", "/dossier/",
                f"{MULTI}patriot-launcher-at-dawn/", f"{MULTI}comment-page-1/", f"{MULTI}comment-page-2/"]


@dataclass
class Crawl:
    returncode: int
    output: str
    lines: list[dict]
    job_dir: Path
    base: str

    def by_path(self, path: str) -> dict:
        [line] = [line for line in self.lines if line["url"] == self.base + path]
        return line

    @property
    def paths(self) -> list[str]:
        return [line["url"].removeprefix(self.base) for line in self.lines]

    def fetched(self) -> dict[str, int]:
        """Every URL path the crawl fetched (from its WARC files), with its status."""
        found = {}
        for path in self.job_dir.glob("*.warc.gz"):
            with path.open("rb") as stream:
                for record in ArchiveIterator(stream):
                    if record.rec_type in ("response", "revisit"):
                        url = record.rec_headers.get_header("WARC-Target-URI").removeprefix(self.base)
                        found[url] = int(record.http_headers.get_statuscode())
        return found


@pytest.fixture(scope="module")
def wordpress(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The WordPress replica in a process of its own; its base URL without the trailing slash."""
    running = start_wordpress(tmp_path_factory.mktemp("wordpress") / "access.log")
    yield running.url.rstrip("/")
    running.stop()


def crawl(base: str, out: Path, *arguments: str) -> Crawl:
    done = subprocess.run([sys.executable, "-m", "crawler", "crawl", "news", "--out", str(out), *LOCAL,
                           "-a", f"start_urls={base}/", *arguments], cwd=REPO, capture_output=True, text=True,
                          timeout=600)
    jobs = sorted(job for job in out.iterdir() if job.is_dir()) if out.exists() else []
    job_dir = jobs[0] if jobs else out
    items = job_dir / "items.jsonl"
    lines = [json.loads(line) for line in items.read_text(encoding="utf-8").splitlines()] if items.exists() else []
    return Crawl(done.returncode, done.stdout + done.stderr, lines, job_dir, base)


@pytest.fixture(scope="module")
def site(wordpress, tmp_path_factory) -> Crawl:
    return crawl(wordpress, tmp_path_factory.mktemp("news") / "archive")


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def number(comment_id: str) -> str:
    """The comment system's number in a comment id (``div-comment-6168810``, ``comment-6168810``, ``6168810``)."""
    return re.search(r"\d+", comment_id).group()


def test_the_crawl_finishes_with_one_line_per_post_and_one_for_the_missing_one(site):
    assert site.returncode == 0, site.output
    summary = site.output[site.output.index("newsarchive: crawl finished"):]
    assert "articles:        52 " in summary  # 51 posts and the deleted one the sitemap still lists
    assert "errors:          0" in summary
    for line in site.lines:
        jsonschema.validate(line, SCHEMA)
    assert len({line["id"] for line in site.lines}) == len(site.lines) == 52


def test_exactly_the_articles(site):
    paths = set(site.paths)
    assert len(paths) == 52
    assert FIXED | {GONE} <= paths
    ordinary = paths - FIXED - {GONE}
    assert {date(*map(int, path.split("/")[1:4])) for path in ordinary} == ORDINARY_DAYS
    assert all(re.fullmatch(r"/20\d\d/\d\d/\d\d/[a-z0-9-]+/", path) for path in ordinary)
    for path in NOT_ARTICLES:
        assert path not in paths


def test_pages_that_are_not_articles_are_fetched_only_when_they_might_be(site):
    fetched = site.fetched()
    # Candidates judged not to be articles: pages from the page sitemap and the footer, the attachment page.
    for path in ["/about/", "/contact/", "/privacy-policy/", f"{MULTI}patriot-launcher-at-dawn/"]:
        assert fetched[path] == 200
    # Never fetched: tags, authors, date archives, term sitemaps, replies, feeds of single posts.
    assert not [url for url in fetched if re.match(r"/(tag|author)/|/20\d\d/\d\d/$|.*replytocom", url)]
    assert not [url for url in fetched if url.endswith(("post_tag-sitemap.xml", "category-sitemap.xml",
                                                        "author-sitemap.xml"))]
    assert f"{MULTI}feed/" not in fetched


def test_every_way_of_discovery_is_used(site):
    fetched = site.fetched()
    for path in ["/robots.txt", "/sitemap_index.xml", "/post-sitemap.xml", "/post-sitemap2.xml", "/page-sitemap.xml",
                 "/dossier-sitemap.xml", "/news-sitemap.xml", "/feed/", "/feed/atom/", "/page/5/",
                 "/category/history/"]:
        assert fetched[path] == 200, path
    assert fetched["/wp-sitemap.xml"] == 301
    # Each of these is reachable one way only.
    assert site.by_path(LIVE)["title"] == "Live: coastal air defence drill under way off Rostock"  # news sitemap
    assert site.by_path(PARTNER)["title"] == ("Partner content: how shipyards are training the next generation "
                                              "of welders")  # feeds
    assert site.by_path(CORRECTION)["title"] == "Correction: the range of the IRIS-T SLM"  # post sitemap
    assert site.by_path(HISTORY)["title"] == "From the archive: the Arctic convoys of 1942"  # home page 5, History


@pytest.mark.parametrize(("path", "title", "published"), [
    (MULTI, "The long road to a European air defence shield", "2026-03-05T10:12:00+01:00"),
    (LIVE, "Live: coastal air defence drill under way off Rostock", "2026-03-12T08:50:00+01:00"),
    (LETTERS, "Warum die Bundeswehr mehr als Geld braucht", "2026-02-24T18:00:00+01:00"),
    (NIGHT, "Night vote in the Bundestag clears the way for new frigates", "2026-02-01T00:40:00+01:00"),
    (HISTORY, "From the archive: the Arctic convoys of 1942", "2025-10-14T11:00:00+02:00"),
])
def test_titles_and_publication_times(site, path, title, published):
    line = site.by_path(path)
    assert line["title"] == title
    assert instant(line["published_at"]) == instant(published)
    assert line["site"] == "127.0.0.1"
    assert line["id"] == "127.0.0.1:" + path.rstrip("/")


def test_a_time_after_midnight_keeps_its_local_day(site):
    assert site.by_path(NIGHT)["published_at"] == "2026-02-01T00:40:00+01:00"


def test_all_comments_of_a_three_page_article_are_in_its_one_line(site):
    line = site.by_path(MULTI)
    assert line["warnings"] == []
    assert line["comment_count_declared"] == 41
    comments = line["comments"]
    ids = [number(comment["id"]) for comment in comments]
    assert len(ids) == len(set(ids)) == 41
    # Page 1 (threads 1-10, 20 comments), page 2 (threads 11-20, 14), then the post's own page (21-25, 7).
    assert ids[:2] == ["6168810", "6169120"]
    assert ids[20] == "6170320" and ids[34] == "6173920" and ids[-1] == "6183720"
    assert ids.index("6169670") < ids.index("6170320")
    by_id = dict(zip(ids, comments, strict=True))
    assert by_id["6168810"]["text"] == ("Finally someone says it plainly: without common procurement there will be "
                                        "no common shield.")
    assert by_id["6170030"]["text"] == ("Two things are missing from the article.\n\nFirst, the cost of the "
                                        "interceptors themselves. Second, who trains the crews?")
    assert by_id["6183720"]["text"] == "Late to the party, but: the radar gap over the Baltic is the real story here."
    assert [source["url"].removeprefix(site.base) for source in line["sources"]] == [
        MULTI, f"{MULTI}comment-page-1/", f"{MULTI}comment-page-2/"]
    assert all(source["status"] == 200 and source["warc_filename"] for source in line["sources"])


def test_comment_authors_parents_and_depths(site):
    comments = site.by_path(MULTI)["comments"]
    by_id = {number(comment["id"]): comment for comment in comments}
    chain = ["6169020", "6169160", "6169300", "6169450", "6169670"]
    authors = ["Mavrikiy", "Doccor18", "Mavrikiy", "Doccor18", "Stirbjorn"]
    for depth, (comment_id, author) in enumerate(zip(chain, authors, strict=True)):
        comment = by_id[comment_id]
        assert (comment["author"], comment["depth"]) == (author, depth)
        assert comment["parent_id"] is None if depth == 0 else number(comment["parent_id"]) == chain[depth - 1]
    assert by_id["6169120"]["author"] == "Helen Carter"
    assert by_id["6168810"]["posted_at"] == "2026-03-05T10:21:00+01:00"
    assert sum(1 for comment in comments if comment["depth"] == 0) == 25


def test_other_comment_vocabularies(site):
    letters = site.by_path(LETTERS)
    assert [(number(c["id"]), c["author"]) for c in letters["comments"]] == [
        ("6044750", "Hans-Peter Krüger, Kiel"), ("6045600", "Dr. Ursula Brandt, Bonn"),
        ("6046800", "Michael Schröder, Leipzig"), ("6048000", "Katharina Vogel"), ("6058200", "Anke Weber, Rostock"),
        ("6072800", "Jürgen Hahn, Augsburg")]
    assert letters["comments"][2]["text"] == ("Ihr Kommentar spricht mir aus der Seele.\nAls ehemaliger Zeitsoldat "
                                              "kann ich jedes Wort bestätigen.")
    assert len(site.by_path(FORUM)["comments"]) == 9
    assert letters["warnings"] == [] and site.by_path(FORUM)["warnings"] == []


def test_comments_another_vocabulary_holds_are_not_lost_silently(site):
    # Until the comment reader knows them, the shortfall is a warning on the line, never a quiet empty list.
    for path, declared in [(LETTERS, 6), (LETTERS_SHORT, 3), (FORUM, 9)]:
        line = site.by_path(path)
        assert line["comment_count_declared"] == declared
        if len(line["comments"]) != declared:
            assert f"the page declares {declared} comments but {len(line['comments'])} were read" in line["warnings"]


def test_every_wordpress_comment_section_is_read_whole(site):
    for line in site.lines:
        if line["url"].removeprefix(site.base) not in (LETTERS, LETTERS_SHORT, FORUM, GONE, DOSSIER):
            assert len(line["comments"]) == line["comment_count_declared"], line["url"]
    assert site.by_path(DOSSIER)["comments"] == []  # comments closed: no count, no comments
    # WordPress counts the pingback among its 4 comments, and lists it among them: it is read as a line of its
    # own, by the site that linked to the article, as the page shows it.
    night = site.by_path(NIGHT)
    assert (night["comment_count_declared"], len(night["comments"])) == (4, 4)
    assert night["warnings"] == []
    pingback = night["comments"][-1]
    assert (number(pingback["id"]), pingback["parent_id"], pingback["depth"]) == ("5708400", None, 0)
    assert (pingback["author"], pingback["posted_at"]) == ("baltic-notes.example.org", None)
    assert pingback["text"] == "Pingback: Frigate programme: what the vote means | Baltic Security Notes"


def test_broken_and_odd_pages(site):
    gone = site.by_path(GONE)
    assert gone["warnings"] == ["article page could not be fetched: HTTP 404"]
    assert [source["status"] for source in gone["sources"]] == [404]
    renamed = site.by_path(RENAMED)  # also linked under its old slug (301) and once without its slash
    assert renamed["title"] == "Frigate sea trials delayed until spring"
    assert site.fetched()["/2026/01/20/frigate-trials-delayed/"] == 301
    assert [source["status"] for source in renamed["sources"]] in ([200], [301, 200])


def test_a_page_with_no_date_gets_none_and_a_warning(site):
    # The dossier states no date; its sidebar links to dated posts (Editor's picks): those are not its date.
    dossier = site.by_path(DOSSIER)
    assert dossier["published_at"] is None
    assert dossier["warnings"] == ["no publication date found"]
    assert dossier["missing"] == ["published_at"]


def test_the_crawl_stays_on_the_site_it_was_given(site):
    import urllib.request

    with urllib.request.urlopen(site.base + MULTI, timeout=30) as answer:
        page = answer.read().decode("utf-8")
    # Its pages link elsewhere: the theme's footer, commenters' own sites, pingbacks.
    assert "https://wordpress.org/" in page and "https://dahl.example.net/" in page
    offsite = [url for url in site.fetched() if not url.startswith("/")]
    assert site.fetched() and offsite == []


def test_warc_files_are_written_and_read_back(site):
    warcs = list(site.job_dir.glob("*.warc.gz"))
    assert len(warcs) == 1
    line = site.by_path(MULTI)
    with warcs[0].open("rb") as stream:
        stream.seek(line["sources"][0]["warc_offset"])
        record = next(iter(ArchiveIterator(stream)))
    assert record.rec_headers.get_header("WARC-Target-URI") == site.base + MULTI
    done = subprocess.run([sys.executable, "-m", "crawler", "warc", "check", str(warcs[0])], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_max_articles(wordpress, tmp_path, site):
    limited = crawl(wordpress, tmp_path / "archive", "-a", "max_articles=3")
    assert limited.returncode == 0, limited.output
    assert len(limited.lines) == 3
    assert set(limited.paths) <= set(site.paths) - {GONE}
    assert all(line["title"] and line["warnings"] == [] for line in limited.lines)
    assert len(limited.fetched()) < len(site.fetched()) / 2


def test_since(wordpress, tmp_path):
    recent = crawl(wordpress, tmp_path / "archive", "-a", "since=2026-03-01")
    assert recent.returncode == 0, recent.output
    assert DOSSIER in recent.paths  # undated: kept, since nothing says it is older
    assert recent.by_path(DOSSIER)["published_at"] is None
    dated = [path for path in recent.paths if path != DOSSIER]
    # 12, 9 and 5 March, and the ordinary posts of 2 and 6 March.
    assert {LIVE, PARTNER, MULTI} <= set(dated)
    assert sorted(path[:12] for path in dated) == ["/2026/03/02/", "/2026/03/05/", "/2026/03/06/", "/2026/03/09/",
                                                   "/2026/03/12/"]
    assert all(instant(line["published_at"]) >= instant("2026-03-01T00:00:00+00:00")
               for line in recent.lines if line["published_at"])
    # Older posts are not even fetched: sitemap lastmod and teaser dates rule them out, and paging stops after
    # the first page whose teasers are all older (page 2 of the home page).
    fetched = recent.fetched()
    assert not [url for url in fetched if url.startswith("/2025/")]
    assert "/page/2/" in fetched and "/page/3/" not in fetched


def test_reprocessing_the_crawl_gives_the_same_articles(site, tmp_path):
    out = tmp_path / "again.jsonl"
    done = subprocess.run([sys.executable, "-m", "crawler", "reprocess", str(site.job_dir), "-o", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "spider:          news (named in the WARCs' warcinfo records)" in done.stdout
    again = {line["id"]: line for line in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    live = {line["id"]: line for line in site.lines}
    assert again.keys() == live.keys()
    for article_id, line in live.items():
        if not line["url"].endswith(RENAMED):  # its line may come through the redirect in one and not the other
            assert again[article_id] == line

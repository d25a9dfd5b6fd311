"""The DLE profiles on the replica's real DLE variants, end to end: the same articles and comments in every theme.

One crawl per variant (``python -m crawler crawl``, a replica of 60 stories in
its own process, one clock anchor for all) is compared with the crawl of the
replica's own theme, field by field, with what a theme cannot show written
out here (the smartphone template shows no ratings; flat comments no threads).
A theme nobody described (``drifted``) must make the crawl say so and exit 1.
The Russian site is crawled with the second profile, which is only data.
Expected values come from the replica's documentation (``crawler/replica/__init__.py``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from conftest import start_replica
from crawler.replica.clock import MSK

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
LOCAL = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]
ARTICLES = 60
# Pages whose content differs between themes by design: the page cut off at 55 % of its bytes, and the
# comment page cut off at 60 % (which comments it loses depends on the page's markup).
CUT_PAGE, CUT_COMMENTS = "en.topwar.ru:247801", "en.topwar.ru:207880"
RELATIVE = re.compile(r"ago|назад", re.IGNORECASE)  # "3 часа назад" is rounded; a theme's absolute date is not

VARIANTS = {
    "topwar": ["--theme", "topwar"],
    "topwar-likes": ["--theme", "topwar", "--ratings", "likes"],
    "dle14": ["--theme", "dle14", "--deleted", "blanked"],
    "dle14-member": ["--theme", "dle14", "--ratings", "member", "--deleted", "blanked"],
    "dle14-likes": ["--theme", "dle14", "--ratings", "likes", "--deleted", "blanked"],
    "dle14-flat": ["--theme", "dle14", "--comments", "flat", "--deleted", "blanked"],
    # Deleted comments left out of the page: their replies lose their parent (flat, as DLE shows them).
    "dle14-flat-absent": ["--theme", "dle14", "--comments", "flat", "--deleted", "absent"],
    "dle14-cp1251": ["--theme", "dle14", "--charset", "windows-1251", "--deleted", "blanked"],
    "smartphone": ["--theme", "smartphone", "--deleted", "blanked"],
}


@dataclass
class Crawl:
    returncode: int
    output: str
    lines: dict[str, dict]


def crawl(tmp: Path, spider: str, options: list[str], anchor: datetime) -> Crawl:
    replica = start_replica(tmp / "replica.log", anchor=anchor, articles=ARTICLES, options=options)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "crawler", "crawl", spider, "--out", str(tmp / "archive"), "-q", *LOCAL,
             "-a", f"start_urls={replica.url}"], cwd=REPO, capture_output=True, text=True, timeout=300)
    finally:
        replica.stop()
    items = next((tmp / "archive").glob("*/items.jsonl"))
    lines = [json.loads(line) for line in items.read_text(encoding="utf-8").splitlines()]
    return Crawl(done.returncode, done.stdout + done.stderr, {line["id"]: line for line in lines})


@pytest.fixture(scope="module")
def anchor() -> datetime:
    return datetime.now(MSK).replace(second=0, microsecond=0)


@pytest.fixture(scope="module")
def own_theme(tmp_path_factory: pytest.TempPathFactory, anchor: datetime) -> Crawl:
    done = crawl(tmp_path_factory.mktemp("military"), "topwar", [], anchor)
    assert done.returncode == 0, done.output[-3000:]
    return done


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_theme_gives_the_same_articles_and_comments(tmp_path: Path, anchor: datetime, own_theme: Crawl,
                                                          variant: str) -> None:
    done = crawl(tmp_path, "topwar", VARIANTS[variant], anchor)
    assert set(done.lines) == set(own_theme.lines)
    for article_id, expected in own_theme.lines.items():
        if article_id == CUT_PAGE:
            continue
        found = done.lines[article_id]
        for field in ("title", "author", "published_at", "body", "tags"):
            assert found[field] == expected[field], (variant, article_id, field)
        # DLE counts the comments it keeps: one deleted outright is no longer counted.
        removed = sum(comment["deleted"] for comment in expected["comments"]) if variant == "dle14-flat-absent" else 0
        if expected["comment_count_declared"] is not None:
            assert found["comment_count_declared"] == expected["comment_count_declared"] - removed, (variant, article_id)
        else:
            assert found["comment_count_declared"] is None, (variant, article_id)
        assert_same_comments(variant, article_id, expected["comments"], found["comments"])
    if variant == "smartphone":
        # Its template shows no ratings at all: said, counted, and the crawl is not clean.
        assert done.returncode == 1
        assert "the site's markup changed? 41 of 41 articles had no comment scores: no comment scores found" \
            in done.output
    else:
        assert done.returncode == 0, done.output[-3000:]


def assert_same_comments(variant: str, article_id: str, expected: list[dict], found: list[dict]) -> None:
    by_id = {comment["id"]: comment for comment in found}
    flat = variant.startswith("dle14-flat")
    shown = [comment["id"] for comment in expected if not (variant == "dle14-flat-absent" and comment["deleted"])]
    if article_id != CUT_COMMENTS:
        assert [comment["id"] for comment in found] == shown or flat and set(by_id) == set(shown), (variant, article_id)
    for comment in expected:
        other = by_id.get(comment["id"])
        if other is None or comment["deleted"]:
            continue  # the replica's own theme marks a deleted comment; stock DLE blanks its text
        for field in ("author", "text", "quotes"):
            assert other[field] == comment[field], (variant, article_id, comment["id"], field)
        if not RELATIVE.search(comment["posted_at_raw"] or "") and not RELATIVE.search(other["posted_at_raw"] or ""):
            assert other["posted_at"] == comment["posted_at"], (variant, article_id, comment["id"])
        if variant != "smartphone":
            assert other["score"] == comment["score"], (variant, article_id, comment["id"])
        if variant == "dle14-likes" and other["score"] is not None:
            assert other["likes"] - other["dislikes"] == other["score"]
        if not flat:
            assert (other["parent_id"], other["depth"]) == (comment["parent_id"], comment["depth"])
        else:
            assert (other["parent_id"], other["depth"]) == (None, 0)


def test_a_theme_nobody_described_is_said_loudly_and_fails_the_crawl(tmp_path: Path, anchor: datetime) -> None:
    done = crawl(tmp_path, "topwar", ["--theme", "drifted"], anchor)
    assert done.returncode == 1
    summary = done.output
    for line in (
        "the site's markup changed? 58 of 58 articles had no article text: no article text found (tried: "
        "div[id^='news-id-'], div.pfull-cont.text, article.fullstory div.text, div.post-cont, div.article__text)",
        "the site's markup changed? 58 of 58 articles had no publication date: no publication date found (tried: ",
        "the site's markup changed? 58 of 58 articles had no author: no author found (tried: ",
        "the site's markup changed? 41 of 41 articles had no comment dates: no comment dates found (tried: ",
    ):
        assert line in summary
    article = done.lines["en.topwar.ru:179625"]
    assert article["missing"] == ["author", "published_at", "body", "comments.posted_at"]
    assert article["title"] == "A source reveals the Kremlin's reaction to large-scale protests in Belarus"
    assert [comment["id"] for comment in article["comments"]] == ["10519713", "10520063"]


def test_a_second_site_is_only_a_profile(tmp_path: Path, anchor: datetime) -> None:
    done = crawl(tmp_path, "voenvestnik", ["--site", "ru"], anchor)
    assert done.returncode == 0, done.output[-3000:]
    assert len(done.lines) == ARTICLES
    trawler = done.lines["voenvestnik.ru:2877"]
    assert (trawler["title"], trawler["published_at"]) == ("В Кронштадте спустили на воду новый тральщик",
                                                           "2012-05-17T18:40:00+04:00")
    # 58171 was deleted, and tree comments delete its reply 58204 with it.
    assert [(c["id"], c["parent_id"], c["depth"]) for c in trawler["comments"]] == [
        ("58112", None, 0), ("58139", "58112", 1), ("58150", "58139", 2), ("58233", None, 0)]
    assert trawler["comments"][0]["posted_at"] == "2012-05-17T19:05:00+04:00"
    # Moscow left UTC+4 on 26 October 2014 at 02:00.
    submarine = done.lines["voenvestnik.ru:5391"]
    assert submarine["published_at"] == "2014-10-25T22:40:00+04:00"
    assert [c["posted_at"] for c in submarine["comments"]] == ["2014-10-25T23:55:00+04:00", "2014-10-26T10:05:00+03:00"]
    assert done.lines["voenvestnik.ru:5398"]["published_at"] == "2014-10-26T12:20:00+03:00"
    fresh = done.lines["voenvestnik.ru:40210"]
    yesterday = anchor.date().toordinal() - 1
    assert fresh["published_at"] == f"{datetime.fromordinal(yesterday):%Y-%m-%d}T10:05:00+03:00"
    assert fresh["comments"][0]["posted_at_raw"] == "Вчера, 11:20"
    assert [line["id"] for line in done.lines.values() if line["missing"]] == []

"""The hand-written golden pages of DLE themes agree with their hand-written expected values.

``tests/fixtures/topwar/<case>/`` and ``tests/fixtures/voenvestnik/<case>/`` hold
pages written from DLE's templates (see the README in each folder) and the
values a reader must get from them. Both are written by hand, so a slip in
either is possible; these checks hold them to each other and to DLE's rules:
every expected comment is on the page in the same order and place in the
tree, quotes and words are where they say, dates carry Moscow's offset for
that day, and each page is in the charset it declares.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
# The cases written from DLE's templates (other cases in these folders follow the replica's own markup).
CASES = [FIXTURES / "topwar" / name for name in (
    "topwar-article", "dle14-guest", "likes-dislikes", "member-ratings", "flat-comments", "smartphone",
    "comments-json-text-html", "windows-1251-meta")] + [FIXTURES / "voenvestnik" / name for name in (
    "article-2012", "today-yesterday")]  # fmt: skip
MOSCOW = ZoneInfo("Europe/Moscow")
ITEM_KEYS = {"title", "author", "published_at", "body", "tags", "comment_count_declared", "comments"}
COMMENT_KEYS = {"id", "parent_id", "depth", "author", "posted_at", "posted_at_raw", "score", "likes", "dislikes",
                "text", "quotes", "deleted"}  # fmt: skip


def load(case: Path) -> tuple[dict, lxml.html.HtmlElement, bytes]:
    expected = json.loads((case / "expected.json").read_text("utf-8"))
    if "comment_page" in expected:
        raw = (case / "page.json").read_bytes()
        answer = json.loads(raw)
        assert set(answer) == {"navigation", "comments"}
        doc = lxml.html.fragment_fromstring(answer["navigation"] + answer["comments"], create_parent="div")
        return expected, doc, raw
    raw = (case / "page.html").read_bytes()
    charset = expected["content_type"].partition("charset=")[2]
    if not charset:  # the HTTP header names none: the page must, in a <meta>
        declared = re.search(rb'<meta http-equiv="Content-Type" content="text/html; charset=([\w-]+)">', raw)
        assert declared, "a page served without a charset must declare one"
        charset = declared.group(1).decode()
    return expected, lxml.html.document_fromstring(raw.decode(charset)), raw


def moscow_offset(stamp: str) -> None:
    when = datetime.fromisoformat(stamp)
    assert when.utcoffset() == when.astimezone(MOSCOW).utcoffset(), f"{stamp} does not carry Moscow's offset"


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden_page_matches_its_expected_values(case: Path) -> None:
    expected, doc, _ = load(case)
    assert set(expected) <= {"page", "url", "captured_at", "comment_page", "content_type", "item"}
    item = expected["item"]
    assert set(item) == ({"comments"} if "comment_page" in expected else ITEM_KEYS)
    datetime.fromisoformat(expected["captured_at"])
    text = " ".join(doc.text_content().split())
    if "published_at" in item:
        moscow_offset(item["published_at"])
        assert item["title"] in text
        for paragraph in item["body"].split("\n\n"):
            assert paragraph[:40] in text, paragraph[:40]
        assert str(item["comment_count_declared"]) in text
    wrappers = doc.cssselect('[id^="comment-id-"]')
    assert [w.get("id").removeprefix("comment-id-") for w in wrappers] == [c["id"] for c in item["comments"]]
    tree = bool(doc.cssselect("li.comments-tree-item"))
    for comment, wrapper in zip(item["comments"], wrappers, strict=True):
        assert set(comment) == COMMENT_KEYS
        moscow_offset(comment["posted_at"])
        shown = " ".join(wrapper.text_content().split())
        assert comment["author"] in shown and comment["posted_at_raw"] in shown
        for quote in comment["quotes"]:
            assert quote in [q.text_content() for q in wrapper.cssselect("div.quote")]
        words = re.sub(r":[a-z]+:", " ", comment["text"]).split()
        assert " ".join(words[:6]) in shown
        if comment["score"] is None:
            assert not wrapper.cssselect(".ratingtypeplusminus")
        if comment["likes"] is not None:
            assert comment["score"] == comment["likes"] - comment["dislikes"]
            assert wrapper.cssselect(f"#comments-likes-id-{comment['id']}")[0].text == str(comment["likes"])
        parents = [li.get("id").removeprefix("comments-tree-item-") for li in wrapper.iterancestors("li")]
        assert comment["depth"] == (max(len(parents) - 1, 0) if tree else 0)
        assert comment["parent_id"] == (parents[1] if tree and len(parents) > 1 else None)


UNDECLARED = [c for c in CASES if json.loads((c / "expected.json").read_text("utf-8"))["content_type"] == "text/html"]


@pytest.mark.parametrize("case", UNDECLARED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pages_served_without_a_charset_are_windows_1251_not_utf8(case: Path) -> None:
    with pytest.raises(UnicodeDecodeError):
        (case / "page.html").read_bytes().decode("utf-8")

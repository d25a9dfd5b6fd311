"""Page objects on saved pages, without a crawl: tests/fixtures/<profile>/<case>/{page.html|page.json, expected.json}.

Each case gives the response (URL, Content-Type, body), the capture time and
the item expected, written by hand (see the README in each folder). The page
object gets exactly those inputs — response, site profile, capture — and its
item is compared field by field: fields the case lists must match exactly.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse, TextResponse

from crawler.domain.provenance import Capture
from crawler.pages.dle import DleArticlePage, DleCommentsPage, DleListingPage
from crawler.profiles import available_profiles, load_profile

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CASES = sorted(
    (site.name, case.name) for site in FIXTURES.iterdir() if site.name in available_profiles()
    for case in site.iterdir() if (case / "expected.json").is_file()
)


def run_case(site: str, case: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(what the page object gave, what the case expects) for one case."""
    folder = FIXTURES / site / case
    spec = spec_of(site, case)
    body = next(path for path in (folder / "page.html", folder / "page.json") if path.exists()).read_bytes()
    response_class = HtmlResponse if spec["content_type"].startswith("text/html") else TextResponse
    response = response_class(spec["url"], body=body, headers={"Content-Type": spec["content_type"]})
    capture = Capture.of_page(spec["url"], 200, datetime.fromisoformat(spec["captured_at"]))
    profile = load_profile(site)
    kind = page_kind(spec)
    if kind == "article":
        page = DleArticlePage(response, profile, capture)
        found = {**dataclasses.asdict(page.to_item()), "comment_pages": page.comment_page_urls()}
        if "comment_pages" in spec:
            spec["item"]["comment_pages"] = spec["comment_pages"]
    elif kind == "comments":
        found = dataclasses.asdict(DleCommentsPage(response, profile, capture, spec["comment_page"]).to_item())
    else:
        listing = DleListingPage(response, profile, capture).to_item()
        found = {"entries": [{"url": entry.url, "published_at": entry.published_at and entry.published_at.isoformat()}
                             for entry in listing.entries], "next_page": listing.next_page}
    return found, spec["item"]


@pytest.mark.parametrize(("site", "case"), CASES)
def test_page_object_gives_the_hand_written_item(site: str, case: str) -> None:
    found, expected = run_case(site, case)
    differing = {field: {"expected": value, "found": found.get(field, "(no such field)")}
                 for field, value in expected.items() if found.get(field, "(no such field)") != value}
    assert not differing, json.dumps(differing, ensure_ascii=False, indent=1)


def spec_of(site: str, case: str) -> dict[str, Any]:
    return json.loads((FIXTURES / site / case / "expected.json").read_text(encoding="utf-8"))


def page_kind(spec: dict[str, Any]) -> str:
    """``article``, ``comments`` (a comment page's JSON answer, with its number) or ``listing``."""
    return spec.get("page") or ("comments" if "comment_page" in spec else "article")


@pytest.mark.parametrize(("site", "case"), [(site, case) for site, case in CASES
                                            if page_kind(spec_of(site, case)) == "article"])
def test_article_items_carry_their_capture(site: str, case: str) -> None:
    found, _ = run_case(site, case)
    spec = spec_of(site, case)
    captured = datetime.fromisoformat(spec["captured_at"]).isoformat()
    assert found["fetched_at"] == captured
    assert found["sources"] == [{"url": spec["url"], "status": 200, "captured_at": captured, "warc_filename": None,
                                 "warc_record_id": None, "warc_offset": None, "warc_length": None}]


@pytest.mark.parametrize(("expect", "missing"), [
    (None, ["comments.score"]),  # the default: a date and a score
    ('["date", "score"]', ["comments.score"]),
    ('["date"]', []),
    ("[]", []),
])
def test_a_profile_names_the_comment_fields_its_pages_must_show(expect: str | None, missing: list[str]) -> None:
    """The smartphone template shows no scores: a drift for a profile that expects them, none for one that does not."""
    from importlib import resources

    from crawler.profiles import parse_profile

    source = (resources.files("crawler.profiles") / "topwar.toml").read_text(encoding="utf-8")
    if expect is not None:
        source = source.replace('expect = ["date", "score"]', f"expect = {expect}")
    else:
        source = source.replace('expect = ["date", "score"]\n', "")
    spec = spec_of("topwar", "smartphone")
    response = HtmlResponse(spec["url"], body=(FIXTURES / "topwar" / "smartphone" / "page.html").read_bytes(),
                            headers={"Content-Type": spec["content_type"]})
    capture = Capture.of_page(spec["url"], 200, datetime.fromisoformat(spec["captured_at"]))
    article = DleArticlePage(response, parse_profile(source, "test.toml"), capture).to_item()
    assert article.comments and article.missing == missing

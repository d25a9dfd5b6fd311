"""The replica over time, read over HTTP: what a moved clock shows, and its answers to conditional requests.

Expectations come from the rules in ``crawler/replica/timeline.py``, written out
by hand for the anchor 2026-11-20 12:00 Moscow time (09:00 UTC).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from conftest import ReplicaServer, start_replica
from crawler.replica.clock import MSK

ANCHOR = datetime(2026, 11, 20, 12, 0, tzinfo=MSK)
JSON_PAGE = "engine/ajax/controller.php?mod=comments&cstart={page}&news_id={id}&skin=Military&massact=disable"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplicaServer]:
    server = start_replica(tmp_path_factory.mktemp("timeline") / "access.log", anchor=ANCHOR)
    yield server
    server.stop()


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def move(site: ReplicaServer, when: datetime) -> dict:
    status, _, body = get(f"{site.url}__replica__/clock?now={when.isoformat().replace('+', '%2B')}")
    assert status == 200, body
    return json.loads(body)


def story_url(site: ReplicaServer, news_id: int) -> str:
    _, _, listing = get(site.url)
    return re.search(rf'href="([^"]*/{news_id}-[^"]+\.html)"', listing.decode()).group(1)


def comment_ids(site: ReplicaServer, news_id: int) -> list[int]:
    _, _, page = get(story_url(site, news_id))
    return [int(i) for i in re.findall(r'id="comm-id-(\d+)"', page.decode())]


def test_an_unmoved_replica_sends_no_validators_and_ignores_conditions(site):
    _, headers, _ = get(story_url(site, 249502))
    assert "ETag" not in headers
    status, _, _ = get(story_url(site, 249502), {"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
    assert status == 200


def test_moving_the_clock_shows_new_stories_comments_votes_and_a_removal(site):
    assert move(site, ANCHOR) == {"anchor": "2026-11-20T12:00:00+03:00", "now": "2026-11-20T12:00:00+03:00"}
    at_anchor = comment_ids(site, 249502)
    assert len(at_anchor) == 2
    move(site, ANCHOR + timedelta(hours=1))
    _, _, listing = get(site.url)
    assert "/249513-" in listing.decode() and "/249524-" not in listing.decode(), "one new story by 13:00"
    assert len(comment_ids(site, 249502)) == 4, "a new thread at 12:20 and a reply at 12:45"
    move(site, ANCHOR + timedelta(hours=3))
    after_removal = comment_ids(site, 249502)
    assert at_anchor[1] not in after_removal, "the reply posted at 11:56 is removed at 15:00"
    assert len(after_removal) == 4, "and a reply at 14:30 came"


def test_validators_and_304_answers_once_the_clock_moved(site):
    move(site, ANCHOR + timedelta(hours=3))
    quiet = story_url(site, 249513)
    status, headers, _ = get(quiet)
    assert status == 200
    assert headers["Last-Modified"] == "Fri, 20 Nov 2026 09:20:00 GMT", "published 12:20 MSK, never a comment"
    etag = headers["ETag"]
    assert etag.startswith('W/"249513-')
    assert get(quiet, {"If-None-Match": etag})[0] == 304
    assert get(quiet, {"If-Modified-Since": "Fri, 20 Nov 2026 09:20:00 GMT"})[0] == 304
    assert get(quiet, {"If-Modified-Since": "Fri, 20 Nov 2026 09:19:59 GMT"})[0] == 200
    assert get(quiet, {"If-None-Match": 'W/"something-else"'})[0] == 200
    json_page = site.url + JSON_PAGE.format(page=1, id=249502)
    status, headers, _ = get(json_page)
    assert status == 200 and headers["ETag"].startswith('W/"249502-1-')
    assert get(json_page, {"If-None-Match": headers["ETag"]})[0] == 304
    move(site, ANCHOR + timedelta(hours=5))  # a new thread on 249502 at 17:00 is not yet there; votes at 16:30
    assert get(json_page, {"If-None-Match": headers["ETag"]})[0] == 200, "a vote at 15:30 changed the page"


def test_the_clock_cannot_go_back_before_the_anchor(site):
    status, _, body = get(f"{site.url}__replica__/clock?now=2026-11-19T12:00%2B03:00")
    assert status == 400
    assert "before the site's anchor" in json.loads(body)["error"]

"""``revisit.conditional``: whether a watch's revisits send the previous capture's validators.

The same plan runs at four moments of the replica (anchored 2026-11-20 12:00
Moscow time; clock at 12:00, 13:00, 18:00 as in ``test_watch.py``, then 14:00
the next day), once with ``conditional = true`` and once with ``false``.
Worked out from the replica's timeline by hand: at 13:00 story 249502 is due
its 1h revisit (it has grown comments since); at 18:00 story 249513 (posted
12:20, never commented: unchanged) is due at 1h and 249502 at 6h, and 249524
(posted 13:20, its 60 comments on two pages by the next day) is new; at 14:00
the next day 249524 is due at 1d. What a revisit sent is read from the WARC
``request`` records, what came back from the ``response``/``revisit`` records.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta, timezone
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import start_replica
from crawler.watch.plans import load_plan
from crawler.watch.scheduler import Scheduler
from test_watch import ANCHOR, move_clock

pytestmark = pytest.mark.slow

PLAN = """
[jobs.topwar]
spider = "topwar"
cron = "0 * * * *"
output = "{archive}"
args = {{ start_urls = "{url}", since = "2026-11-16" }}
settings = {{ AUTOTHROTTLE_ENABLED = false, DOWNLOAD_DELAY = 0, CONCURRENT_REQUESTS_PER_DOMAIN = 16 }}
revisit = {{ ages = ["1h", "6h", "1d"], conditional = {conditional} }}
"""
MOMENTS = [ANCHOR, ANCHOR + timedelta(hours=1), ANCHOR + timedelta(hours=6), ANCHOR + timedelta(hours=26)]
VALIDATORS = ("If-None-Match", "If-Modified-Since")


def _records(job_dir: Path) -> list[tuple[str, str, dict[str, str], int | None, str | None]]:
    """(record type, target URI, HTTP headers, HTTP status or None, payload digest) of every request and response
    of a run."""
    found = []
    for path in sorted(job_dir.glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type in ("request", "response", "revisit") and record.http_headers is not None:
                    status = None if record.rec_type == "request" else int(record.http_headers.get_statuscode())
                    found.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI"),
                                  dict(record.http_headers.headers), status,
                                  record.rec_headers.get_header("WARC-Payload-Digest")))
    return found


def _story(uri: str) -> str | None:
    """The story a URI is for: its page (/249502-slug.html) or a comment page (…&news_id=249502)."""
    if "news_id=" in uri:
        return uri.split("news_id=", 1)[1].split("&", 1)[0]
    tail = uri.rsplit("/", 1)[1]
    return tail.split("-", 1)[0] if tail.endswith(".html") else None


@pytest.fixture(scope="module", params=[True, False], ids=["conditional", "unconditional"])
def runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[bool, list]]:
    folder = tmp_path_factory.mktemp("conditional")
    replica = start_replica(folder / "access.log", anchor=ANCHOR)
    plan_path = folder / "plan.toml"
    plan_path.write_text(PLAN.format(archive=folder / "archive", url=replica.url,
                                     conditional=str(request.param).lower()), encoding="utf-8")
    scheduler = Scheduler(load_plan(plan_path))
    job_dirs = []
    try:
        for moment in MOMENTS:
            move_clock(replica, moment)
            (ran,) = scheduler.tick(moment.astimezone(timezone.utc))
            job_dirs.append(ran.job_dir)
        yield request.param, job_dirs
    finally:
        scheduler.close()
        replica.stop()


@pytest.mark.parametrize(("run", "story"), [(1, "249502"), (2, "249502"), (2, "249513"), (3, "249524")])
def test_revisits_send_validators_only_when_conditional(runs, run, story):
    conditional, job_dirs = runs
    (sent,) = [headers for kind, uri, headers, _, _ in _records(job_dirs[run])
               if kind == "request" and uri.endswith(".html") and _story(uri) == story]
    assert {name for name in VALIDATORS if name in sent} == (set(VALIDATORS) if conditional else set())


def test_only_revisits_of_a_conditional_watch_ask_conditionally(runs):
    conditional, job_dirs = runs
    asked = [(run, uri) for run, job_dir in enumerate(job_dirs)
             for kind, uri, headers, _, _ in _records(job_dir) if kind == "request" and set(VALIDATORS) & set(headers)]
    if not conditional:
        assert asked == []
        return
    assert all(run > 0 and uri.endswith(".html") for run, uri in asked), "story pages of revisits only"
    assert {(1, "249502"), (2, "249502"), (2, "249513"), (3, "249524")} <= {(run, _story(uri)) for run, uri in asked}


def test_an_unchanged_story_is_a_304_only_when_conditional(runs):
    conditional, job_dirs = runs
    lines = {json.loads(line)["id"]: json.loads(line)
             for line in (job_dirs[2] / "items.jsonl").read_text(encoding="utf-8").splitlines()}
    quiet = lines["en.topwar.ru:249513"]
    (answer,) = [(kind, status) for kind, uri, _, status, _ in _records(job_dirs[2])
                 if kind != "request" and uri.endswith(".html") and _story(uri) == "249513"]
    if conditional:
        assert answer == ("response", 304)
        assert quiet.get("not_modified") is True and quiet["title"] is None
    else:
        # Read again whole (its sidebar lists the newer stories, so its payload is not the first capture's).
        assert answer == ("response", 200)
        assert "not_modified" not in quiet and quiet["title"]


def test_payloads_archived_before_are_revisit_records(runs):
    _, job_dirs = runs
    earlier: set[str] = set()
    for job_dir in job_dirs:
        answers = [(kind, uri, digest) for kind, uri, _, status, digest in _records(job_dir) if status == 200]
        for kind, uri, digest in answers:
            if digest in earlier:
                assert kind == "revisit", f"{uri} repeats an archived payload but is stored in full"
        earlier |= {digest for _, _, digest in answers}
    assert any(kind == "revisit" for job_dir in job_dirs[1:] for kind, *_ in _records(job_dir))


def test_a_revisit_fetches_the_comment_pages(runs):
    _, job_dirs = runs
    again = {uri for kind, uri, _, _, _ in _records(job_dirs[3]) if kind == "request" and _story(uri) == "249524"}
    assert {uri.split("?", 1)[1] for uri in again if "?" in uri} == {
        "mod=comments&cstart=2&news_id=249524&skin=Military&massact=disable"}
    (line,) = [json.loads(line) for line in (job_dirs[3] / "items.jsonl").read_text(encoding="utf-8").splitlines()
               if json.loads(line)["id"] == "en.topwar.ru:249524"]
    assert line["comment_count_declared"] == len(line["comments"]) == 60

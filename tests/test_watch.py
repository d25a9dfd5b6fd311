"""A watch over four moments of the replica: new articles, revisits exactly when due, 304s, score history.

The replica is anchored at 2026-11-20 12:00 Moscow time (09:00 UTC) and its
clock moved to 12:00, 13:00, 18:00 and 19:00; the scheduler is ticked at the
same moments (its cron is hourly, so 18:00 also catches up the missed 14:00 to
17:00 slots in one run). The plan watches stories since 2026-11-16 with the
revisit ages 1h, 6h, 1d, 3d, 7d. Every expected value below follows from the
replica's documented timeline (``crawler/replica/timeline.py``) and was
worked out by hand:

- 12:00: the five fresh stories, 249020 (posted 17 Nov 05:00), 249160 (18 Nov
  06:00), 249305 (19 Nov 08:30), 249418 (05:20) and 249502 (11:30). Ages
  already passed count as covered.
- 13:00: new 249513 (12:20); 249502 is due at 1h (12:30).
- 18:00: new 249524, 249535, 249546, 249557, 249568 (13:20 … 17:20); due:
  249513 at 1h (13:20; it has no comments, so its page answers 304) and
  249502 at 6h (17:30).
- 19:00: new 249579 (18:20); due: 249513 at 6h (18:20, 304 again) and 249568
  at 1h (18:20, no comments yet: 304).

The whole watch runs twice, with the same expectations: on the local backend
(one crawl process per run) and on the Redis backend (each run a crawl over
two worker processes sharing a real redis-server).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import ReplicaServer, start_replica
from crawler.replica.clock import MSK
from crawler.watch.backends.distributed import RedisBackend
from crawler.watch.export import export
from crawler.watch.plans import load_plan
from crawler.watch.scheduler import Scheduler
from crawler.watch.state import WatchState

REPO = Path(__file__).resolve().parent.parent
ANCHOR = datetime(2026, 11, 20, 12, 0, tzinfo=MSK)
MOMENTS = [ANCHOR, ANCHOR + timedelta(hours=1), ANCHOR + timedelta(hours=6), ANCHOR + timedelta(hours=7)]
EXPORT_SCHEMA = json.loads((REPO / "crawler" / "schema" / "export.schema.json").read_text(encoding="utf-8"))
ARTICLE_SCHEMA = json.loads((REPO / "crawler" / "schema" / "article.schema.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.slow

PLAN = """
[jobs.topwar]
spider = "topwar"
cron = "0 * * * *"
output = "{archive}"
args = {{ start_urls = "{url}", since = "2026-11-16" }}
settings = {{ AUTOTHROTTLE_ENABLED = false, DOWNLOAD_DELAY = 0, CONCURRENT_REQUESTS_PER_DOMAIN = 16 }}
revisit = {{ ages = ["1h", "6h", "1d", "3d", "7d"] }}
"""

NEW = [
    {"249020", "249160", "249305", "249418", "249502"},
    {"249513"},
    {"249524", "249535", "249546", "249557", "249568"},
    {"249579"},
]
DUE = [{}, {"249502": "1h"}, {"249513": "1h", "249502": "6h"}, {"249513": "6h", "249568": "1h"}]
NOT_MODIFIED = [set(), set(), {"249513"}, {"249513", "249568"}]


@dataclass
class Watch:
    archive: Path
    plan: Path
    outcomes: list  # RunOutcome per moment
    replica: ReplicaServer
    workers: int  # crawl processes per run

    def lines(self, run: int) -> list[dict]:
        path = self.outcomes[run].job_dir / "items.jsonl"
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    def responses(self, run: int) -> list[tuple[str, str, int, str]]:
        """(WARC record type, target URI, HTTP status, payload digest) of each response of run *run*."""
        found = []
        for path in sorted(self.outcomes[run].job_dir.glob("*.warc.gz")):
            with path.open("rb") as stream:
                for record in ArchiveIterator(stream):
                    if record.rec_type in ("response", "revisit"):
                        found.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI"),
                                      int(record.http_headers.get_statuscode()),
                                      record.rec_headers.get_header("WARC-Payload-Digest")))
        return found


def news_id(article_id: str) -> str:
    return article_id.split(":", 1)[1]


def move_clock(replica: ReplicaServer, when: datetime) -> None:
    import urllib.request

    with urllib.request.urlopen(f"{replica.url}__replica__/clock?now={when.isoformat().replace('+', '%2B')}",
                                timeout=30) as answer:
        assert answer.status == 200


@pytest.fixture(scope="module", params=["local", "redis"])
def watch(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Watch]:
    folder = tmp_path_factory.mktemp("watch")
    replica = start_replica(folder / "access.log", anchor=ANCHOR)
    plan_path = folder / "plan.toml"
    plan_path.write_text(PLAN.format(archive=folder / "archive", url=replica.url), encoding="utf-8")
    plan = load_plan(plan_path)
    workers = 1
    backend = None
    if request.param == "redis":
        workers = 2
        backend = RedisBackend.for_plan(plan, request.getfixturevalue("redis_server").url, workers)
    scheduler = Scheduler(plan, backend)
    outcomes = []
    try:
        for moment in MOMENTS:
            move_clock(replica, moment)
            ran = scheduler.tick(moment.astimezone(timezone.utc))
            assert len(ran) == 1, f"one run at {moment}"
            outcomes.append(ran[0])
        yield Watch(folder / "archive", plan_path, outcomes, replica, workers)
    finally:
        scheduler.close()
        replica.stop()


def test_each_moment_gives_one_finished_run_for_its_slot(watch):
    state = WatchState(watch.archive)
    runs = state.runs("topwar")
    assert [(run.slot.astimezone(timezone.utc).strftime("%H:%M"), run.attempt, run.status) for run in runs] == [
        ("09:00", 1, "finished"), ("10:00", 1, "finished"), ("15:00", 1, "finished"), ("16:00", 1, "finished")], \
        [(run.status, run.exit_status, run.summary) for run in runs]
    for outcome in watch.outcomes:
        manifest = json.loads((outcome.job_dir / "watch-run.json").read_text())
        assert manifest["status"] == "finished" and manifest["ended_at"]
        assert manifest["warnings"] == []


def test_each_run_keeps_the_final_stats_of_its_whole_crawl(watch):
    for outcome in watch.outcomes:
        stats = json.loads((outcome.job_dir / "stats.json").read_text())
        assert stats["finish_reason"] == "finished"
        assert stats["item_scraped_count"] == len(watch.lines(watch.outcomes.index(outcome)))
        warcs = [path.name for path in outcome.job_dir.glob("*.warc.gz")]
        if watch.workers > 1:
            assert stats["distributed/workers"] == watch.workers, "the coordinator merged every worker's stats"
            assert warcs and all(name.startswith(("topwar-w1-", "topwar-w2-")) for name in warcs), warcs
        else:
            assert "distributed/workers" not in stats


@pytest.mark.parametrize("run", range(4))
def test_new_articles_are_picked_up_and_revisits_made_exactly_when_due(watch, run):
    lines = watch.lines(run)
    assert {news_id(line["id"]) for line in lines} == NEW[run] | set(DUE[run])
    manifest = json.loads((watch.outcomes[run].job_dir / "watch-run.json").read_text())
    assert {news_id(entry["id"]): entry["age"] for entry in manifest["due"]} == DUE[run]
    assert manifest["counts"]["new_articles"] == len(NEW[run])
    assert manifest["counts"]["revisits"] == len(DUE[run])
    for line in lines:
        jsonschema.validate(line, ARTICLE_SCHEMA)


@pytest.mark.parametrize("run", range(4))
def test_nothing_is_fetched_that_is_not_new_or_due(watch, run):
    story_pages = {uri.rsplit("/", 1)[1].split("-", 1)[0] for _, uri, _, _ in watch.responses(run)
                   if uri.endswith(".html") and "/blogs/" not in uri}
    assert story_pages == NEW[run] | set(DUE[run])
    listings = [uri for _, uri, _, _ in watch.responses(run) if uri == watch.replica.url or "/page/" in uri]
    assert listings == [watch.replica.url], "the first listing page reaches 'since' (first run) or a known story"


@pytest.mark.parametrize("run", range(4))
def test_unchanged_pages_are_304s_or_revisit_records(watch, run):
    not_modified = {news_id(line["id"]) for line in watch.lines(run) if line.get("not_modified")}
    assert not_modified == NOT_MODIFIED[run]
    answered_304 = {uri.rsplit("/", 1)[1].split("-", 1)[0] for kind, uri, status, _ in watch.responses(run)
                    if status == 304}
    assert answered_304 == NOT_MODIFIED[run]
    earlier = {digest for r in range(run) for kind, _, status, digest in watch.responses(r) if status == 200}
    for kind, uri, status, digest in watch.responses(run):
        if status == 200 and digest in earlier:
            assert kind == "revisit", f"{uri} repeats an archived payload but is stored in full"
    if run:
        robots = [kind for kind, uri, _, _ in watch.responses(run) if uri.endswith("/robots.txt")]
        assert set(robots) == {"revisit"} and len(robots) <= watch.workers, "each worker asks for robots.txt once"


def test_a_304_line_says_not_modified_and_nothing_else(watch):
    (line,) = [line for line in watch.lines(2) if line["id"] == "en.topwar.ru:249513"]
    assert line["not_modified"] is True
    assert (line["title"], line["body"], line["comments"], line["warnings"]) == (None, None, [], [])
    assert [source["status"] for source in line["sources"]] == [304]


@pytest.fixture(scope="module")
def latest(watch, tmp_path_factory) -> dict[str, dict]:
    output = tmp_path_factory.mktemp("export") / "latest.jsonl"
    result = export(watch.archive, output, latest=True)
    assert result.exit_status == 0, result.problems
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        jsonschema.validate(line, EXPORT_SCHEMA)
    return {news_id(line["id"]): line for line in lines}


def capture_times(watch: Watch, article: str) -> list[str]:
    return [line["fetched_at"] for run in range(4) for line in watch.lines(run) if news_id(line["id"]) == article]


def test_export_latest_has_one_line_per_article(latest):
    assert set(latest) == set().union(*NEW)
    assert latest["249502"]["captures"] == 3
    assert latest["249513"]["captures"] == 3
    assert latest["249513"]["title"] is not None, "the content comes from the capture that read the page"


# 249502's comments, ids and ratings from the timeline's rules: ids by posting minute; votes at 1h/6h/24h by id % 3.
@pytest.mark.parametrize(("comment", "scores"), [
    ("43043803", [-5, -6, -7]),  # posted 11:48, id % 3 == 1: -1 at 12:48, -1 at 17:48
    ("43044123", [1, 2]),  # posted 12:20 (a new thread), id % 3 == 0: +1 at 13:20, +2 only at 18:20
    ("43046923", [3]),  # posted 17:00
])
def test_score_history_of_chosen_comments(watch, latest, comment, scores):
    (exported,) = [c for c in latest["249502"]["comments"] if c["id"] == comment]
    times = capture_times(watch, "249502")[-len(scores):]
    assert exported["score_history"] == [{"captured_at": t, "score": s} for t, s in zip(times, scores, strict=True)]
    assert (exported["first_seen"], exported["last_seen"]) == (times[0], times[-1])
    assert exported["score"] == scores[-1]
    assert exported["removed_after"] is None


def test_a_comment_removed_by_a_moderator_is_kept_and_marked(watch, latest):
    first, second, third = capture_times(watch, "249502")
    (removed,) = [c for c in latest["249502"]["comments"] if c["id"] == "43043883"]
    assert removed["score_history"] == [{"captured_at": first, "score": 22}, {"captured_at": second, "score": 23}]
    assert (removed["removed_after"], removed["missing_since"]) == (second, third)
    ids = [c["id"] for c in latest["249502"]["comments"]]
    assert ids.index("43043883") == ids.index("43043803") + 1, "kept where it stood, after its parent"


def test_not_modified_captures_extend_last_seen(watch, latest):
    quiet = latest["249513"]
    assert quiet["comments"] == []
    assert quiet["last_seen"] == capture_times(watch, "249513")[-1]


@pytest.mark.parametrize("latest_only", [True, False])
def test_the_export_from_warcs_alone_is_the_same(watch, tmp_path, latest_only):
    from_items, from_warcs = tmp_path / "items.jsonl", tmp_path / "warcs.jsonl"
    export(watch.archive, from_items, latest=latest_only)
    result = export(watch.archive, from_warcs, latest=latest_only, from_warcs=True)
    assert result.exit_status == 0, result.problems
    assert from_warcs.read_bytes() == from_items.read_bytes()


def test_export_filters_by_time_and_site(watch, tmp_path):
    since = min(line["fetched_at"] for line in watch.lines(2))
    export(watch.archive, tmp_path / "late.jsonl", since=datetime.fromisoformat(since))
    late = [json.loads(line) for line in (tmp_path / "late.jsonl").read_text().splitlines()]
    assert {news_id(line["id"]) for line in late} == NEW[2] | set(DUE[2]) | NEW[3] | set(DUE[3])
    export(watch.archive, tmp_path / "other.jsonl", site="example.org")
    assert (tmp_path / "other.jsonl").read_text() == ""
    export(watch.archive, tmp_path / "topwar.jsonl", site="en.topwar.ru")
    assert len((tmp_path / "topwar.jsonl").read_text().splitlines()) == sum(len(watch.lines(r)) for r in range(4))


def test_export_never_writes_into_a_job_folder(watch):
    inside = watch.outcomes[0].job_dir / "items.jsonl"
    before = inside.read_bytes()
    done = subprocess.run([sys.executable, "-m", "crawler", "export", str(watch.archive), "-o", str(inside),
                           "--latest"], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 2
    assert "lies inside the archive folder" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert inside.read_bytes() == before


@pytest.mark.parametrize(("now", "articles"), [
    # 19:10 MSK: 249524 (13:20), first captured at 18:00 when 4h40m old, has its 6h age at 19:20.
    ("2026-11-20T16:10Z", "12 known; due a revisit now: 0; next revisit 2026-11-20T19:20:00+03:00"),
    # 19:30 MSK: that age has come, and 249579 (18:20) is an hour old.
    ("2026-11-20T16:30Z", "12 known; due a revisit now: 2 (en.topwar.ru:249524 at 6h, en.topwar.ru:249579 at 1h); "
                          "next revisit 2026-11-20T20:20:00+03:00"),
])
def test_watch_list_shows_last_and_next_runs_and_what_is_due(watch, now, articles):
    done = subprocess.run([sys.executable, "-m", "crawler", "watch", "list", str(watch.plan), "--now", now],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert "last run:   #4 finished (slot 2026-11-20T16:00:00+00:00, attempt 1" in done.stdout
    assert "next run:   2026-11-20T17:00:00+00:00" in done.stdout
    assert articles in done.stdout


def test_the_watch_demo_runs_three_replica_hours(tmp_path):
    from io import StringIO

    from crawler.watch.demo import run_watch_demo

    said = StringIO()
    assert run_watch_demo(tmp_path, stream=said) == 0, said.getvalue()
    text = said.getvalue()
    assert [line.split(":")[0] for line in text.splitlines() if line.startswith("replica hour")] == [
        "replica hour 0", "replica hour 1", "replica hour 2", "replica hour 3"]
    assert text.count(" finished in ") == 4
    assert "score history of comment" in text


def test_the_example_plan_works_against_the_replica(tmp_path, own_replica):
    text = (REPO / "plans" / "topwar.toml").read_text(encoding="utf-8")
    assert 'start_urls = "http://127.0.0.1:8080/"' in text and 'output = "archive/watch-topwar"' in text
    plan = tmp_path / "topwar.toml"
    plan.write_text(text.replace("http://127.0.0.1:8080/", own_replica.url), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "crawler", "watch", "once", str(plan), "topwar"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "finished in" in done.stdout and "199 new articles" in done.stdout
    assert (tmp_path / "archive" / "watch-topwar" / "watch-state.sqlite3").exists()

"""Crawl plans are refused before anything runs; the time rules of a watch, table by table."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.watch.incremental import Listed, Revisit, RunPlan
from crawler.watch.plans import PlanError, load_plan
from crawler.watch.policy import due_age, due_slot, next_due, parse_duration

REPO = Path(__file__).resolve().parent.parent
UTC = timezone.utc
GOOD = """
[jobs.news]
spider = "topwar"
cron = "0 * * * *"
output = "{archive}"
args = {{ start_urls = "http://127.0.0.1:9/" }}
revisit = {{ ages = ["1h", "6h", "1d"] }}
"""


def test_the_example_plan_is_valid():
    plan = load_plan(REPO / "plans" / "topwar.toml")
    job = plan.job("topwar")
    assert (job.spider, job.cron) == ("topwar", "0 * * * *")
    assert job.revisit.ages == tuple(parse_duration(a) for a in ("1h", "6h", "1d", "3d", "7d"))


@pytest.mark.parametrize(("change", "message"), [
    (('spider = "topwar"', 'spider = "nosuch"'), "job news: spider: no spider named 'nosuch'"),
    (('spider = "topwar"', 'spider = "urls"'), "job news: spider: spider 'urls' cannot be watched"),
    (('cron = "0 * * * *"', 'cron = "61 * * * *"'), "job news: cron: '61 * * * *' is not a cron expression"),
    (('cron = "0 * * * *"', 'cron = "every hour"'), "job news: cron: 'every hour' is not a cron expression"),
    (('["1h", "6h", "1d"]', '["1h", "-6h", "1d"]'), "job news: revisit.ages: age 2: '-6h' is negative"),
    (('["1h", "6h", "1d"]', '["6h", "1h"]'), "job news: revisit.ages: age 2 (1h) is not later than the age before it"),
    (('["1h", "6h", "1d"]', '["1h", "soon"]'), "job news: revisit.ages: age 2: 'soon' is not a duration"),
    (('revisit = {', 'limits = { pages = 0 }\nrevisit = {'), "job news: limits.pages: must be a whole number"),
    (('revisit = {', 'limits = { duration = "-5m" }\nrevisit = {'), "job news: limits.duration: '-5m' is negative"),
    (('revisit = {', 'schedule = "hourly"\nrevisit = {'), "job news: schedule: unknown field"),
    (('revisit = {', 'timezone = "Mars/Olympus"\nrevisit = {'), "job news: timezone: 'Mars/Olympus' is not a timezone"),
    (('args = {', 'args = { max_articles = "many", '), "job news: args: spider argument max_articles: 'many'"),
    (('args = {', 'args = { watch_plan = "x", '), "job news: args.watch_plan: is set by the scheduler"),
    (('revisit = {', 'settings = { WARC_GZIP_LEVEL = 11 }\nrevisit = {'),
     "job news: settings: setting WARC_GZIP_LEVEL must be at least 0 and at most 9"),
    (('["1h", "6h", "1d"] }', '["1h", "6h", "1d"], conditional = "no" }'),
     "job news: revisit.conditional: must be true or false, got 'no'"),
    (('["1h", "6h", "1d"] }', '["1h", "6h", "1d"], conditional = 0 }'),
     "job news: revisit.conditional: must be true or false, got 0"),
])
def test_a_bad_plan_is_refused_naming_the_job_and_field(tmp_path, change, message):
    archive = tmp_path / "archive"
    text = GOOD.format(archive=archive)
    assert change[0] in text
    plan = tmp_path / "plan.toml"
    plan.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(PlanError) as refused:
        load_plan(plan)
    assert message in str(refused.value)
    assert not archive.exists(), "refused before anything was written"


@pytest.mark.parametrize("action", [["list"], ["run"], ["once", "news"]])
def test_every_watch_command_refuses_a_bad_plan_with_one_line_and_status_2(tmp_path, action):
    archive = tmp_path / "archive"
    plan = tmp_path / "plan.toml"
    plan.write_text(GOOD.format(archive=archive).replace('cron = "0 * * * *"', 'cron = "61 * * * *"'), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "crawler", "watch", action[0], str(plan), *action[1:]],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 2
    assert done.stderr == f"newsarchive watch: error: {plan}: job news: cron: '61 * * * *' is not a cron expression " \
                          "like '0 * * * *' or '@hourly'\n"
    assert not archive.exists()


def test_a_revisit_conditional_that_is_no_boolean_is_refused_by_the_command(tmp_path):
    archive = tmp_path / "archive"
    plan = tmp_path / "plan.toml"
    plan.write_text(GOOD.format(archive=archive).replace('"1d"] }', '"1d"], conditional = "off" }'), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "crawler", "watch", "once", str(plan), "news"],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 2
    assert done.stderr == f"newsarchive watch: error: {plan}: job news: revisit.conditional: must be true or false, " \
                          "got 'off'\n"
    assert not archive.exists()


@pytest.mark.parametrize(("text", "message"), [
    ("[jobs]\n", "jobs: a plan needs at least one [jobs.NAME] table"),
    ("[job.news]\nspider = 'topwar'\n", "job: unknown section"),
    ("[jobs.news\n", "not valid TOML"),
    ("[jobs.'a b']\nspider = 'topwar'\n", "job a b: a job name is letters, digits"),
])
def test_a_malformed_plan_is_refused(tmp_path, text, message):
    plan = tmp_path / "plan.toml"
    plan.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_plan(plan)


def test_once_names_an_unknown_job(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text(GOOD.format(archive=tmp_path / "archive"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "crawler", "watch", "once", str(plan), "sports"],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 2
    assert "no job named 'sports' (jobs: news)" in done.stderr


@pytest.mark.parametrize(("text", "seconds"), [
    ("90s", 90), ("30m", 1800), ("1h", 3600), ("1h30m", 5400), ("1d", 86400), ("3d", 259200), ("1w", 604800),
    (45, 45),
])
def test_durations(text, seconds):
    assert parse_duration(text) == timedelta(seconds=seconds)


def at(hour: int, minute: int = 0, day: int = 20) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(("last_slot", "now", "slot"), [
    (None, at(9, 17), at(9, 17)),  # never ran: at once
    (at(9), at(9, 59), None),  # the next slot is 10:00
    (at(9), at(10), at(10)),
    (at(9), at(15, 30), at(15)),  # 10:00 to 15:00 missed: one run, for 15:00
])
def test_due_slots_catch_up_once(last_slot, now, slot):
    assert due_slot("0 * * * *", UTC, last_slot, now) == slot


AGES = [timedelta(hours=1), timedelta(hours=6), timedelta(days=1)]


@pytest.mark.parametrize(("last_decided", "now", "age"), [
    (at(9), at(9, 59), None),  # published 9:00, captured at 9:00: the 1h age is at 10:00
    (at(9), at(10), timedelta(hours=1)),
    (at(10), at(14), None),  # 1h done; 6h is at 15:00
    (at(9), at(16), timedelta(hours=6)),  # 1h and 6h both passed since the last capture: one revisit, at 6h
    (at(9, day=21), at(9, day=22), None),  # after the last age (1d), never again
])
def test_revisits_fall_due_at_ages_after_publication(last_decided, now, age):
    assert due_age(at(9), last_decided, now, AGES) == age


def test_the_next_revisit_and_the_end_of_revisits():
    assert next_due(at(9), at(12), AGES) == at(15)
    assert next_due(at(9), at(9, day=21), AGES) is None
    assert next_due(None, at(9), AGES) is None


PLAN = RunPlan(known=frozenset({"s:1", "s:2"}), done=frozenset({"s:3"}),
               due=(Revisit("s:2", "http://s/2.html", "6h", 'W/"x"', "Fri, 20 Nov 2026 09:20:00 GMT"),))


@pytest.mark.parametrize(("article", "decision"), [
    ("s:9", Listed.FETCH), ("s:1", Listed.KNOWN), ("s:2", Listed.DUE), ("s:3", Listed.DONE),
])
def test_listing_decisions(article, decision):
    assert PLAN.listed(article) is decision
    assert RunPlan().listed(article) is Listed.FETCH, "without a plan, everything is new"


@pytest.mark.parametrize(("decisions", "go_on"), [
    ([Listed.FETCH, Listed.FETCH], True),
    ([Listed.FETCH, Listed.DONE], True),  # an interrupted attempt's articles do not end the walk
    ([Listed.FETCH, Listed.KNOWN], False),
    ([Listed.DUE], False),
])
def test_the_listing_walk_stops_at_a_page_with_a_known_article(decisions, go_on):
    assert RunPlan.keep_paging(decisions) is go_on


def test_conditional_headers_come_from_the_previous_capture():
    (revisit,) = PLAN.revisits()
    assert PLAN.revisit_headers(revisit) == {"If-None-Match": 'W/"x"',
                                             "If-Modified-Since": "Fri, 20 Nov 2026 09:20:00 GMT"}
    assert RunPlan(due=PLAN.due, conditional=False).revisit_headers(revisit) == {}
    assert RunPlan(due=PLAN.due, done=frozenset({"s:2"})).revisits() == []

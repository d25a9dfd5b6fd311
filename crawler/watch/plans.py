"""Crawl plans: which jobs a watch runs, when, with what limits and which comment revisits (TOML).

A plan is validated whole when it is loaded, before anything runs: every
problem is a :class:`PlanError` naming the plan file, the job and the field.
The format (``plans/topwar.toml`` is the example)::

    [defaults]                     # optional: any job field, for every job
    output = "archive/watch"

    [jobs.topwar]                  # the job's name: letters, digits, - and _
    spider = "topwar"              # a spider of this project that takes part in watches
    cron = "0 * * * *"             # when it runs (croniter: five fields, or @hourly, @daily…)
    timezone = "UTC"               # of the cron expression (default UTC)
    output = "archive/watch"       # archive folder (relative to the working folder); default "archive"
    args = { start_urls = "https://en.topwar.ru/" }   # spider arguments (-a)
    settings = { DOWNLOAD_DELAY = 1 }                 # Scrapy settings (-s)
    limits = { pages = 5000, duration = "30m" }       # per run: responses, wall time
    revisit = { ages = ["1h", "6h", "1d", "3d", "7d"], conditional = true }
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from crawler.runs.outcome import RunRefused

from crawler.watch.incremental import RUN_PLAN_ARGUMENT, RunPlan, write_run_plan
from crawler.watch.policy import parse_duration

JOB_FIELDS = ("spider", "cron", "timezone", "output", "args", "settings", "limits", "revisit")
LIMIT_FIELDS = ("pages", "duration")
REVISIT_FIELDS = ("ages", "conditional")
_JOB_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


class PlanError(RunRefused):
    """A plan cannot be used; the message names the file, the job and the field (exit status 2)."""

    def __init__(self, path: Path | str, job: str | None, field_name: str | None, problem: str):
        where = [str(path)] + ([f"job {job}"] if job else []) + ([field_name] if field_name else [])
        super().__init__(": ".join([*where, problem]))
        self.job = job
        self.field = field_name


@dataclass(frozen=True)
class Limits:
    """How far one run may go: responses (Scrapy's CLOSESPIDER_PAGECOUNT) and wall time (CLOSESPIDER_TIMEOUT)."""

    pages: int | None = None
    duration: timedelta | None = None


@dataclass(frozen=True)
class RevisitPolicy:
    """Revisit an article's comments at these ages after its publication, then never again."""

    ages: tuple[timedelta, ...] = ()
    conditional: bool = True  # send If-None-Match / If-Modified-Since from the previous capture


@dataclass(frozen=True)
class JobPlan:
    """One job of a plan, validated."""

    name: str
    spider: str
    cron: str
    timezone: ZoneInfo
    output: Path
    args: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    limits: Limits = Limits()
    revisit: RevisitPolicy = RevisitPolicy()


@dataclass(frozen=True)
class Plan:
    """A validated plan: its file and its jobs by name, in file order."""

    path: Path
    jobs: dict[str, JobPlan]

    def job(self, name: str) -> JobPlan:
        try:
            return self.jobs[name]
        except KeyError as e:
            raise PlanError(self.path, None, None, f"no job named {name!r} (jobs: {', '.join(self.jobs)})") from e


def load_plan(path: str | os.PathLike[str], *, check_spiders: bool = True) -> Plan:
    """Read and validate the plan at *path*; :class:`PlanError` on the first problem found.

    *check_spiders* also builds each job's spider with its arguments and settings
    (as ``newsarchive crawl`` would), so a bad argument is refused here too.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise PlanError(path, None, None, f"cannot read the plan: {e.strerror or e}") from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise PlanError(path, None, None, f"not valid TOML: {e}") from e
    return parse_plan(path, data, check_spiders=check_spiders)


def parse_plan(path: Path, data: Mapping[str, Any], *, check_spiders: bool = True) -> Plan:
    """Validate a plan already read from TOML (see :func:`load_plan`)."""
    unknown = sorted(set(data) - {"defaults", "jobs"})
    if unknown:
        raise PlanError(path, None, unknown[0], "unknown section (a plan has [defaults] and [jobs.NAME])")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise PlanError(path, None, "defaults", "must be a table")
    for name in defaults:
        if name not in JOB_FIELDS:
            raise PlanError(path, None, f"defaults.{name}", f"unknown field (known: {', '.join(JOB_FIELDS)})")
    jobs = data.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        raise PlanError(path, None, "jobs", "a plan needs at least one [jobs.NAME] table")
    parsed = {}
    for name, table in jobs.items():
        if not _JOB_NAME.fullmatch(name):
            raise PlanError(path, name, None, "a job name is letters, digits, '-' and '_' (at most 64)")
        if not isinstance(table, dict):
            raise PlanError(path, name, None, "must be a table")
        parsed[name] = _job(path, name, {**defaults, **table})
    plan = Plan(path, parsed)
    if check_spiders:
        for job in plan.jobs.values():
            check_job_spider(path, job)
    return plan


def _job(path: Path, name: str, table: dict[str, Any]) -> JobPlan:
    def fail(field_name: str, problem: str) -> PlanError:
        return PlanError(path, name, field_name, problem)

    for key in table:
        if key not in JOB_FIELDS:
            raise fail(key, f"unknown field (known: {', '.join(JOB_FIELDS)})")
    spider = table.get("spider")
    if not isinstance(spider, str) or not spider:
        raise fail("spider", "missing: the name of a spider, e.g. topwar")
    cron = table.get("cron")
    if not isinstance(cron, str) or not croniter.is_valid(cron):
        raise fail("cron", f"{cron!r} is not a cron expression like '0 * * * *' or '@hourly'" if cron is not None
                   else "missing: when the job runs, e.g. '0 * * * *'")
    try:
        timezone = ZoneInfo(str(table.get("timezone", "UTC")))
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise fail("timezone", f"{table.get('timezone')!r} is not a timezone like UTC or Europe/Moscow") from e
    output = table.get("output", "archive")
    if not isinstance(output, str) or not output.strip():
        raise fail("output", "must be a folder name")
    args = _table(table.get("args", {}), fail, "args")
    if RUN_PLAN_ARGUMENT in args:
        raise fail(f"args.{RUN_PLAN_ARGUMENT}", "is set by the scheduler for each run")
    for key, value in args.items():
        if not isinstance(value, (str, int, float, bool)):
            raise fail(f"args.{key}", "must be a string or a number (a list of URLs is one comma-separated string)")
    settings = _table(table.get("settings", {}), fail, "settings")
    return JobPlan(
        name=name,
        spider=spider,
        cron=cron,
        timezone=timezone,
        output=Path(output),
        args={key: value if isinstance(value, str) else str(value) for key, value in args.items()},
        settings=settings,
        limits=_limits(_table(table.get("limits", {}), fail, "limits"), fail),
        revisit=_revisit(_table(table.get("revisit", {}), fail, "revisit"), fail),
    )


def _table(value: Any, fail: Any, field_name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise fail(field_name, "must be a table, e.g. { name = value }")
    return dict(value)


def _limits(table: dict[str, Any], fail: Any) -> Limits:
    for key in table:
        if key not in LIMIT_FIELDS:
            raise fail(f"limits.{key}", f"unknown limit (known: {', '.join(LIMIT_FIELDS)})")
    pages = table.get("pages")
    if pages is not None and (isinstance(pages, bool) or not isinstance(pages, int) or pages < 1):
        raise fail("limits.pages", f"must be a whole number of at least 1, got {pages!r}")
    duration = None
    if "duration" in table:
        try:
            duration = parse_duration(table["duration"])
        except ValueError as e:
            raise fail("limits.duration", str(e)) from e
    return Limits(pages, duration)


def _revisit(table: dict[str, Any], fail: Any) -> RevisitPolicy:
    for key in table:
        if key not in REVISIT_FIELDS:
            raise fail(f"revisit.{key}", f"unknown field (known: {', '.join(REVISIT_FIELDS)})")
    raw = table.get("ages", [])
    if not isinstance(raw, list):
        raise fail("revisit.ages", "must be a list of ages after publication, e.g. [\"1h\", \"6h\", \"1d\"]")
    ages = []
    for number, text in enumerate(raw, 1):
        try:
            age = parse_duration(text)
        except ValueError as e:
            raise fail("revisit.ages", f"age {number}: {e}") from e
        if ages and age <= ages[-1]:
            raise fail("revisit.ages", f"age {number} ({text}) is not later than the age before it: "
                                       "list the ages in increasing order")
        ages.append(age)
    conditional = table.get("conditional", True)
    if not isinstance(conditional, bool):
        raise fail("revisit.conditional", f"must be true or false, got {conditional!r}")
    return RevisitPolicy(tuple(ages), conditional)


def check_job_spider(path: Path, job: JobPlan) -> None:
    """Refuse a job whose spider is unknown, takes no part in watches, or refuses its arguments or settings."""
    from scrapy.spiderloader import get_spider_loader

    from crawler.runs.crawl import check_crawl_setup, project_settings
    from crawler.runs.outcome import RunRefused

    loader = get_spider_loader(project_settings(job.settings))
    if job.spider not in loader.list():
        raise PlanError(path, job.name, "spider", f"no spider named {job.spider!r}; available: "
                                                   f"{', '.join(sorted(loader.list()))}")
    if not getattr(loader.load(job.spider), "supports_watch_plan", False):
        raise PlanError(path, job.name, "spider", f"spider {job.spider!r} cannot be watched: it does not read a "
                                                   f"run plan ({RUN_PLAN_ARGUMENT}), so it would refetch everything")
    with tempfile.TemporaryDirectory(prefix="newsarchive-plan-") as folder:
        plan_file = write_run_plan(Path(folder), RunPlan())
        try:
            check_crawl_setup(job.spider, {**job.args, RUN_PLAN_ARGUMENT: str(plan_file)},
                              crawl_settings(job, {}))
        except RunRefused as e:
            field_name = "settings" if str(e).startswith("setting ") else "args"
            raise PlanError(path, job.name, field_name, str(e)) from e


def crawl_settings(job: JobPlan, extra: Mapping[str, Any]) -> dict[str, Any]:
    """The Scrapy settings of one run of *job*: its own, its limits, then *extra* (the run's folder…)."""
    settings = dict(job.settings)
    if job.limits.pages is not None:
        settings["CLOSESPIDER_PAGECOUNT"] = job.limits.pages
    if job.limits.duration is not None:
        settings["CLOSESPIDER_TIMEOUT"] = job.limits.duration.total_seconds()
    return {**settings, **extra}

"""The replay half of a reprocessing run: the spider, its starting points, the workers and what they report.

It needs Scrapy, whose import takes a quarter of a second; the index half
(:mod:`crawler.reprocess.index`) does not, so :mod:`crawler.reprocess.run`
imports this module only once the index is being scanned in other
processes, and both go on at once.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.reprocess.starts import (
    SpiderChoice,
    StartPredicate,
    UnknownSpider,
    choose_spider,
    load_spider,
    starting_points,
)
from crawler.reprocess.workers import (
    Unit,
    WorkerResult,
    preload_components,
    run_workers,
)
from crawler.runs.crawl import project_settings

if TYPE_CHECKING:
    from scrapy import Spider

    from crawler.reprocess.index import CaptureIndex
    from crawler.reprocess.progress import Reporter
    from crawler.reprocess.result import ReprocessResult

__all__ = ["UnknownSpider", "choose", "deal", "prepare", "replay", "requested_spider", "units"]

logger = logging.getLogger(__name__)

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def prepare(log_level: str) -> None:
    """Import what the workers will need, so they are forked with it (see :func:`preload_components`)."""
    preload_components(log_level)


def requested_spider(spider: str | type[Spider]) -> type[Spider]:
    """The project's spider *spider*; :class:`~crawler.reprocess.starts.UnknownSpider` if there is none."""
    return load_spider(project_settings(), spider)


def choose(index: CaptureIndex, spider: str | type[Spider] | None) -> SpiderChoice:
    """The spider that reprocesses *index*, and why (see :func:`~crawler.reprocess.starts.choose_spider`)."""
    return choose_spider(index, project_settings(), spider)


def units(index: CaptureIndex, spidercls: type[Spider], all_captures: bool,
          at: datetime | None = None) -> list[Unit]:
    """The starting points: of all crawls at once (captures closest to *at*), or of each crawl on its own."""
    accepts = _start_predicate(spidercls)
    if not all_captures:
        return [Unit(None, starting_points(index, accepts, at=at))]
    found = [Unit(crawl, starting_points(index, accepts, crawl)) for crawl in sorted(index.crawls)]
    return [unit for unit in found if unit.starts]


def deal(units: list[Unit], workers: int) -> list[list[Unit]]:
    """Deal each unit's starting points round-robin over *workers* (comment-heavy articles spread evenly)."""
    plan = [[Unit(unit.group, unit.starts[number::workers]) for unit in units] for number in range(max(1, workers))]
    return [[unit for unit in units if unit.starts] for units in plan if any(unit.starts for unit in units)]


def replay(index: CaptureIndex, spidercls: type[Spider], plan: list[list[Unit]], shard_dir: Path, *,
           at: datetime | None, reporter: Reporter, log_level: str, result: ReprocessResult,
           record_limit: int | None) -> list[Path]:
    """Run the workers of *plan*; add their counts, misses, problems and errors to *result*; return their shards."""
    outcomes = run_workers(index, spidercls, plan, shard_dir, at=at, reporter=reporter, log_level=log_level,
                           record_limit=record_limit)
    _collect(result, outcomes)
    return [shard for outcome in outcomes for shard in outcome.shards]


def _start_predicate(spidercls: type) -> StartPredicate:
    hook = getattr(spidercls, "is_archive_start", None)
    if hook is not None:
        return hook  # type: ignore[no-any-return]
    logger.warning("spider %s does not say where reprocessing starts; starting from HTML pages and redirects",
                   spidercls.__name__)
    return lambda url, status, mime: 300 <= status < 400 or (status == 200 and mime in _HTML_TYPES)


def _collect(result: ReprocessResult, outcomes: list[WorkerResult]) -> None:
    for outcome in outcomes:
        for stats in outcome.stats:
            result.add_stats(stats)
        result.misses += outcome.misses
        result.notes += outcome.notes
        # Each worker reports a record it could not read back; several may have tried the same one.
        result.problems += [problem for problem in outcome.problems if problem not in result.problems]
        result.errors += outcome.errors
        result.incomplete += outcome.incomplete

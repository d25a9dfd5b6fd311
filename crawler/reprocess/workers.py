"""Reprocessing workers: forked processes, each running Scrapy over its share of the starting points.

The parent builds the capture index, then forks the workers before any
Twisted reactor exists in it, so each child inherits the index as it is and
installs a reactor of its own (if the parent has a reactor already, the
workers start from a fork server instead and get the index pickled). A worker runs one crawler per unit of work
(one, or one per crawl with ``--all-captures``, each pinned to its crawl) in
one ``CrawlerProcess``, each writing its JSON Lines into a shard file, and
sends back its stats, the requests the archive could not answer and the
records it could not read. Counters in shared memory let the parent show
progress while the workers run.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.misc import load_object

from crawler.reprocess.captures import ReadProblem
from crawler.reprocess.handler import SESSION_SETTING, ReplaySession
from crawler.reprocess.notes import CaptureNote
from crawler.reprocess.result import Miss
from crawler.reprocess.shards import SHARD_ERROR_STAT
from crawler.reprocess.stopping import forked, signals_held
from crawler.runs.crawl import project_settings
from crawler.warc.sizes import RECORD_LIMIT

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings
    from twisted.python.failure import Failure

    from crawler.reprocess.index import CaptureIndex
    from crawler.reprocess.progress import Reporter

logger = logging.getLogger(__name__)

# CrawlerProcess.crawl() lays the process settings over a crawler's own of equal priority; these must win.
_CRAWLER_PRIORITY = SETTINGS_PRIORITIES["cmdline"] + 1
_LOGGERS = ("scrapy", "crawler")  # the loggers of Scrapy's and the project's components
_POLL_SECONDS = 0.25
_EXIT_SECONDS = 30.0  # for a worker that sent its result to end

# A reprocessing crawl: answered from the WARCs, nothing written but JSON Lines, no politeness needed.
# Downloader middlewares and extensions are listed, not switched off one by one: replay runs exactly these,
# so a component added to the project later does not run here unless it is added here too. Spider
# middlewares and item pipelines are the project's: they shape the items, which must come out as they did live.
REPROCESS_SETTINGS: dict[str, Any] = {
    # Every http(s) request is answered from the capture index.
    "DOWNLOAD_HANDLERS": {
        "http": "crawler.reprocess.handler.WarcReplayDownloadHandler",
        "https": "crawler.reprocess.handler.WarcReplayDownloadHandler",
    },
    # What decides what the spider sees: offsite requests dropped, redirects (meta refresh too) followed,
    # bodies decompressed. Not here: robots.txt (what it forbade was not captured), retries (the archive holds
    # the final outcome), cookies (captures are chosen by URL), cache, proxies, timeouts, default or
    # User-Agent headers (the replay handler reads only the URL, the method and the Referer), download
    # stats (not read back), the capture-time middleware (the replay handler records every capture).
    "DOWNLOADER_MIDDLEWARES_BASE": {},
    "DOWNLOADER_MIDDLEWARES": {
        "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": 50,
        "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": 580,
        "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": 590,
        "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": 600,
    },
    # The counters the summary reads (finish reason, items, errors) and the shard feed; nothing else (no
    # WARC archive, job folder, console, periodic stats lines, memory watch or throttling).
    "EXTENSIONS_BASE": {},
    "EXTENSIONS": {
        "scrapy.extensions.corestats.CoreStats": 0,
        "scrapy.extensions.logcount.LogCount": 0,
        "scrapy.extensions.feedexport.FeedExporter": 0,
    },
    # Scrapy would re-read each callback's source (ast) for every response to warn about a generator
    # that returns a value: a log line at most, never data.
    "WARN_ON_GENERATOR_RETURN_VALUE": False,
    # No site to be polite to: many requests in flight.
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 64,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 64,
    # Feeds name a shard file, not a job folder; a shard that cannot be written says so (crawler.reprocess.shards).
    "FEED_URI_PARAMS": None,
    "FEED_STORAGES": {"": "crawler.reprocess.shards.ShardStorage", "file": "crawler.reprocess.shards.ShardStorage"},
}


# What a crawler imports as it starts: every key of these component dicts (disabled ones too) …
_COMPONENT_SETTINGS = ("DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "EXTENSIONS", "ITEM_PIPELINES")
# … every value of these (the feed exporter loads them all), and these classes.
_CLASS_MAP_SETTINGS = ("DOWNLOAD_HANDLERS", "FEED_EXPORTERS", "FEED_STORAGES")
_CLASS_SETTINGS = ("SCHEDULER", "SCHEDULER_PRIORITY_QUEUE", "DUPEFILTER_CLASS", "STATS_CLASS", "LOG_FORMATTER",
                   "REQUEST_FINGERPRINTER_CLASS")


@dataclass(frozen=True)
class Unit:
    """Starting points for one crawler; *group* pins every request to that crawl (``None``: the policy decides)."""

    group: str | None
    starts: list[str]


@dataclass
class WorkerResult:
    """What a worker sends back."""

    shards: list[Path] = field(default_factory=list)
    stats: list[dict[str, Any]] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)
    notes: list[CaptureNote] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Why the lines of this worker are not all in its shards: a shard that could not be written, a worker that
    # failed. The run then writes nothing.
    incomplete: list[str] = field(default_factory=list)


def crawl_settings(log_level: str) -> Settings:
    """Project settings for reprocessing crawlers."""
    return project_settings({**REPROCESS_SETTINGS, "LOG_LEVEL": log_level})


def preload_components(log_level: str) -> None:
    """Import here what each worker's crawlers import as they start: the components the crawl settings name.

    Workers are forked from this process, so they find these modules loaded
    instead of each importing them (a third of a second, run while the
    capture index is being built in other processes). A component that fails
    to import is left for the worker to report.
    """
    settings = crawl_settings(log_level)
    paths = [path for name in _COMPONENT_SETTINGS for path in settings.getwithbase(name)]
    paths += [path for name in _CLASS_MAP_SETTINGS for path in settings.getwithbase(name).values()]
    paths += [path for name in _CLASS_SETTINGS if isinstance(path := settings.get(name), str)]
    for path in paths:
        if isinstance(path, str):
            try:
                load_object(path)
            except (ImportError, NameError) as e:
                logger.debug("not preloaded for the workers: %s (%s)", path, e)
    SpiderLoader.from_settings(settings)  # imports the project's spider modules


def _crawler_settings(shard: Path, group: str | None, session: ReplaySession) -> dict[str, Any]:
    """What a worker's crawlers are given: the shard each writes, the crawl it is pinned to, and the
    replay session (index, capture policy, what went wrong) that its download handler answers from."""
    return {"FEEDS": {str(shard): {"format": "jsonlines", "encoding": "utf-8"}}, "REPROCESS_GROUP": group or "",
            SESSION_SETTING: session}


def run_workers(
    index: CaptureIndex,
    spidercls: type[Spider],
    plan: list[list[Unit]],
    shard_dir: Path,
    *,
    at: datetime | None,
    reporter: Reporter,
    log_level: str,
    record_limit: int | None = RECORD_LIMIT,
) -> list[WorkerResult]:
    """Start one worker per entry of *plan*, show progress while they run, and collect their results.

    If this is interrupted (:class:`~crawler.runs.outcome.RunInterrupted`, or any error), the workers are killed
    before it returns: their work would be thrown away.
    """
    context = get_context(_start_method())
    counters = context.RawArray("q", 2 * len(plan))  # per worker: responses replayed, articles written
    connections: dict[Connection, int] = {}
    processes = []
    finished = False
    try:
        with signals_held():  # every worker started is in *processes* before a stop signal is acted on
            for number, units in enumerate(plan):
                receiver, sender = context.Pipe(duplex=False)
                process = context.Process(
                    target=_worker_main, name=f"reprocess-{number}",
                    args=(number, units, spidercls, index, at, shard_dir, counters, sender, log_level, record_limit,
                          os.getpid() if context.get_start_method() == "fork" else None),
                )
                process.start()
                processes.append(process)
                sender.close()
                connections[receiver] = number
        results: dict[int, WorkerResult] = {}
        while connections:
            for ready in wait(list(connections), timeout=_POLL_SECONDS):
                number = connections.pop(ready)  # type: ignore[call-overload]
                results[number] = _receive(ready, number)
            reporter.update(sum(counters[0::2]), sum(counters[1::2]))
        finished = True
    finally:
        _end(processes, finished)
    return [results[number] for number in range(len(plan))]


def _start_method() -> str:
    """``fork`` (workers inherit the index as it is), unless a Twisted reactor is here already.

    A forked worker would inherit that reactor, and Scrapy could not install
    its own; a fresh interpreter from the fork server gets the index pickled.
    """
    return "forkserver" if "twisted.internet.reactor" in sys.modules else "fork"


def _end(processes: list[BaseProcess], finished: bool) -> None:
    """Wait for the workers to end once they sent their results; kill them if the run did not get that far."""
    for process in processes:
        if finished:
            process.join(_EXIT_SECONDS)
        if process.is_alive():
            process.kill()
        process.join()


def _receive(connection: Connection, number: int) -> WorkerResult:
    try:
        result: WorkerResult = connection.recv()
    except EOFError:
        result = WorkerResult(incomplete=[f"reprocessing worker {number} ended without a result"])
    connection.close()
    return result


def _worker_main(
    number: int, units: list[Unit], spidercls: type[Spider], index: CaptureIndex, at: datetime | None,
    shard_dir: Path, counters: Any, connection: Connection, log_level: str, record_limit: int | None,
    parent: int | None,
) -> None:
    forked(parent)
    # What the worker inherits (the index, the modules) lives as long as it does: kept out of the cyclic
    # garbage collector's reach, the collector stops walking it again and again.
    gc.freeze()
    try:
        result = _crawl(number, units, spidercls, index, at, shard_dir, counters, log_level, record_limit)
    except Exception:  # noqa: BLE001 -- whatever breaks a worker is reported by the parent, not lost
        result = WorkerResult(incomplete=[f"reprocessing worker {number} failed:\n{traceback.format_exc()}"])
    connection.send(result)
    connection.close()


def _crawl(
    number: int, units: list[Unit], spidercls: type[Spider], index: CaptureIndex, at: datetime | None,
    shard_dir: Path, counters: Any, log_level: str, record_limit: int | None,
) -> WorkerResult:
    def replayed() -> None:
        counters[2 * number] += 1

    def article_written() -> None:
        counters[2 * number + 1] += 1

    session = ReplaySession(index, at, on_response=replayed, record_limit=record_limit)
    result = WorkerResult()
    shards = [shard_dir / f"shard-{number}-{k}.jsonl" for k in range(len(units))]
    process = CrawlerProcess(crawl_settings(log_level))
    # Scrapy builds a DEBUG log record for every response and every item, and the pipeline one per
    # warning, whatever LOG_LEVEL lets through (the root logger is left at NOTSET). Below the worker's
    # level nothing is shown or counted (LogCount counts from LOG_LEVEL up), so it is not built either.
    for name in _LOGGERS:
        logging.getLogger(name).setLevel(log_level)
    crawlers = []
    for unit, shard in zip(units, shards):
        crawler = process.create_crawler(spidercls)
        crawler.settings.setdict(_crawler_settings(shard, unit.group, session), priority=_CRAWLER_PRIORITY)
        crawler.signals.connect(article_written, signal=signals.item_scraped)
        argument = getattr(spidercls, "archive_start_argument", "start_urls")
        process.crawl(crawler, **{argument: list(unit.starts)}).addErrback(_record_failure, result)
        crawlers.append(crawler)
    process.start()
    result.shards = [shard for shard in shards if shard.exists()]
    result.stats = [_stats_of(crawler) for crawler in crawlers]
    result.incomplete += [stats[SHARD_ERROR_STAT] for stats in result.stats if SHARD_ERROR_STAT in stats]
    result.misses, result.problems, result.notes = session.misses, session.problems, session.notes
    return result


def _stats_of(crawler: Crawler) -> dict[str, Any]:
    try:
        return crawler.stats.get_stats()
    except RuntimeError:  # a crawl that did not start has no stats (Scrapy raises for them)
        return {}


def _record_failure(failure: Failure, result: WorkerResult) -> None:
    result.incomplete.append(f"crawl did not run: {failure.type.__name__}: {failure.getErrorMessage()}")

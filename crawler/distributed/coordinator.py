"""``newsarchive crawl SPIDER --redis URL --workers N``: one crawl, N local worker processes, one job folder.

The coordinator checks everything it can before anything is written (workers, spider, arguments, settings,
Redis), creates the job folder, publishes the crawl in Redis, starts the local workers
(``newsarchive worker``, each in a session of its own with its log in ``logs/`` of the job folder) and, while they
and any workers that joined from other machines crawl, is the one writer of ``items.jsonl``. When a local worker
ends badly it puts that worker's leased requests back at once (remote workers are reaped by the others when their
lease expires). When the crawl is finished and every worker has left, it merges the workers' stats, removes the
crawl's keys from Redis and returns a :class:`~crawler.runs.crawl.CrawlResult`, as a single-process crawl does.
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import redis
from scrapy.spiderloader import get_spider_loader

from crawler.distributed.config import DistributedConfig, RedisUnreachable, connect
from crawler.distributed.crawljob import CrawlJob
from crawler.distributed.leases import CrawlState, LeaseBook
from crawler.distributed.lines import LineWriter
from crawler.distributed.stats import merge_stats, read_stats
from crawler.distributed.worker import check_worker_settings
from crawler.domain.layout import Job, create_job
from crawler.domain.outputs import write_json
from crawler.runs.children import start_child
from crawler.runs.crawl import CrawlResult, check_crawl_setup, project_settings
from crawler.runs.outcome import RunFailed, RunRefused

logger = logging.getLogger(__name__)

WAIT_SECONDS = 0.5  # longest wait for a line before looking at the workers again
LOGS_FOLDER = "logs"


@dataclass
class DistributedCrawlResult(CrawlResult):
    """A :class:`CrawlResult` with how each worker ended and what happened to the crawl as a whole."""

    workers: dict[str, str] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [super().summary()]
        if self.error is None:
            ended = ", ".join(f"{worker} {how}" for worker, how in self.workers.items())
            lines.append(f"  workers:         {len(self.workers)} ({ended})")
            lines += [f"  note:            {event}" for event in self.events]
            lines.append(f"  worker logs:     {self.job.dir / LOGS_FOLDER}")
        return "\n".join(lines)


def check_distributed_setup(spider: str, spider_args: Mapping[str, str], settings: Mapping[str, Any],
                            workers: int) -> None:
    """Refuse a distributed crawl that cannot run (:class:`RunRefused`), before anything is written."""
    if workers < 1:
        raise RunRefused(f"--workers must be at least 1, got {workers}")
    check_crawl_setup(spider, spider_args, settings)
    spidercls = get_spider_loader(project_settings(settings)).load(spider)
    if not hasattr(spidercls, "distributed_line_key"):
        raise RunRefused(f"spider {spider!r} cannot run over several workers: it does not say how (no "
                         f"distributed_line_key attribute; see the README, 'Several workers')")
    refused = getattr(spidercls, "distributed_refused_arguments", {})
    for name in spider_args:
        if name in refused:
            raise RunRefused(f"spider argument {name} cannot be used with --redis: {refused[name]}")
    try:
        json.dumps(dict(settings))
    except (TypeError, ValueError) as e:
        raise RunRefused(f"settings must be plain values to reach the workers: {e}") from e
    check_worker_settings({**settings, "DISTRIBUTED_REDIS_URL": "redis://127.0.0.1/", "DISTRIBUTED_WORKER_ID": "w1"})


def run_distributed_crawl(
    spider: str,
    *,
    redis_url: str,
    workers: int = 1,
    spider_args: Mapping[str, str] | None = None,
    archive_dir: str | Path = "archive",
    job_name: str | None = None,
    settings: Mapping[str, Any] | None = None,
) -> DistributedCrawlResult:
    """Crawl with *spider* over *workers* local processes (and any that join) into a new job folder.

    Bad arguments, a spider that cannot run over several workers or an unreachable Redis raise
    :class:`~crawler.runs.outcome.RunRefused` before anything is written. Blocks until the crawl ends; runs no
    reactor, so it may be called again in the same process. A job folder named by ``ARCHIVE_JOB_ID`` in
    *settings* is used as it is (a scheduler that prepared it); otherwise a new one is made.
    """
    spider_args = dict(spider_args or {})
    settings = dict(settings or {})
    check_distributed_setup(spider, spider_args, settings, workers)
    try:
        server = connect(redis_url)
    except RedisUnreachable as e:
        raise RunRefused(str(e)) from e
    archive = Path(archive_dir).resolve()
    job = _job(archive, job_name or spider, settings.get("ARCHIVE_JOB_ID"))
    spidercls = get_spider_loader(project_settings(settings)).load(spider)
    crawl = CrawlJob(job.id, spider, str(archive), spider_args,
                     {k: v for k, v in settings.items() if k not in ("ARCHIVE_DIR", "ARCHIVE_JOB_ID")})
    config = DistributedConfig.from_settings(project_settings(settings))
    book = LeaseBook(server, crawl.keys, None, config.lease_seconds)
    writer = LineWriter(server, crawl.keys, job.items_path, spidercls.distributed_line_key)
    crawl.publish(server)
    started = time.monotonic()
    started_at = datetime.now(timezone.utc)
    try:
        pool = WorkerPool(crawl, redis_url, archive, job.dir / LOGS_FOLDER, server)
        with _forwarding_signals(pool):
            try:
                pool.start(workers)
                state = _supervise(pool, book, writer)
            finally:
                pool.stop_and_wait()
        writer.drain_all()
        per_worker = read_stats(server, crawl.keys)
        counters = {k.decode(): int(v) for k, v in server.hgetall(crawl.keys.counters).items()}
        events = [event.decode() for event in server.lrange(crawl.keys.events, 0, -1)]
    except redis.RedisError as e:
        raise RunFailed(f"lost Redis at {redis_url} during the crawl ({e}); the workers were stopped; "
                        f"{writer.counts.articles} lines were written to {job.items_path}") from e
    finally:
        writer.close()
        with contextlib.suppress(redis.RedisError):
            crawl.withdraw(server)  # workers still running (on other machines) take it as the end
    stats = merge_stats(per_worker)
    stats.update(writer.counts.as_stats())
    stats.update({
        "start_time": started_at.isoformat(),
        "elapsed_time_seconds": round(time.monotonic() - started, 3),
        "finish_reason": _finish_reason(state, pool, per_worker),
        "distributed/workers": len(per_worker),
        "distributed/workers_lost": counters.get("workers_lost", 0),
        "distributed/requests_requeued": counters.get("requeued", 0),
    })
    if not state.finished:
        events.append(f"the crawl did not finish: {state.queued} requests were still queued, "
                      f"{state.leased} in flight")
    # Kept in the job folder: the workers' own stats leave Redis with the crawl's keys.
    write_json(job.stats_path, stats)
    warc_files = sorted(p for p in job.dir.glob("*.warc*") if p.is_file())
    return DistributedCrawlResult(job=job, stats=stats, warc_dir=job.dir, warc_files=warc_files,
                                  workers=pool.endings(), events=events)


def _finish_reason(state: CrawlState, pool: WorkerPool, per_worker: Mapping[str, Mapping[str, Any]]) -> str:
    """Why the crawl as a whole ended: finished, shut down, or the limit a worker stopped at (CLOSESPIDER_*)."""
    if state.finished:
        return "finished"
    if pool.interrupted:
        return "shutdown"
    limits = sorted({str(stats.get("finish_reason")) for stats in per_worker.values()
                     if str(stats.get("finish_reason", "")).startswith("closespider_")})
    return limits[0] if limits else "unfinished"


def _job(archive: Path, name: str, job_id: str | None) -> Job:
    if not job_id:
        return create_job(archive, name, datetime.now(timezone.utc))
    job = Job.named(archive, str(job_id))
    job.dir.mkdir(parents=True, exist_ok=True)
    return job


def _supervise(pool: WorkerPool, book: LeaseBook, writer: LineWriter) -> CrawlState:
    """Write lines until no worker is left (here or on other machines); the crawl's last state."""
    while True:
        writer.drain(WAIT_SECONDS)
        for worker, status in pool.newly_ended():
            if status != 0:
                member, requeued = book.release(worker)
                if member:
                    book.server.hincrby(book.keys.counters, "workers_lost", 1)
                    book.record(f"worker {worker} ended with {_how(status)}; its {requeued} unfinished requests "
                                f"were requeued")
        if pool.running():
            continue
        book.reap()  # workers on other machines that stopped renewing their leases
        if pool.interrupted or not book.members():
            return book.state()


class WorkerPool:
    """The local worker processes of a crawl."""

    def __init__(self, crawl: CrawlJob, redis_url: str, archive: Path, logs: Path, server: Any):
        self.crawl = crawl
        self.redis_url = redis_url
        self.archive = archive
        self.logs = logs
        self.server = server
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.ended: dict[str, int] = {}
        self.interrupted = False
        self._signalled: set[str] = set()

    def start(self, count: int) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        for _ in range(count):
            worker = f"w{self.server.incr(self.crawl.keys.worker_numbers)}"
            command = [sys.executable, "-m", "crawler", "worker", "--redis", self.redis_url, "--job", self.crawl.job_id,
                       "--out", str(self.archive), "--worker-id", worker]
            with (self.logs / f"{worker}.log").open("ab") as log:
                # A session of its own: a Ctrl-C reaches the coordinator alone, which then stops each worker
                # with exactly one SIGTERM (a second signal would make Scrapy stop uncleanly).
                self.processes[worker] = start_child(command, log)
            logger.info("worker %s started (pid %d)", worker, self.processes[worker].pid)

    def newly_ended(self) -> Iterator[tuple[str, int]]:
        for worker, process in self.processes.items():
            status = process.poll()
            if worker not in self.ended and status is not None:
                self.ended[worker] = status
                logger.info("worker %s ended with %s", worker, _how(status))
                yield worker, status

    def running(self) -> bool:
        return len(self.ended) < len(self.processes)

    def stop(self) -> None:
        """Ask every worker still running to stop cleanly (Scrapy's graceful shutdown: one SIGTERM)."""
        self.interrupted = True
        for worker, process in self.processes.items():
            if worker not in self._signalled and process.poll() is None:
                self._signalled.add(worker)
                process.send_signal(signal.SIGTERM)

    def stop_and_wait(self) -> None:
        """After the crawl (or on an error in the coordinator): no worker process outlives the call."""
        if self.running():
            self.stop()
        for process in self.processes.values():
            process.wait()

    def endings(self) -> dict[str, str]:
        return {worker: _how(process.returncode if process.returncode is not None else process.wait())
                for worker, process in self.processes.items()}


def _how(status: int) -> str:
    if status < 0:
        return f"killed by signal {-status} ({signal.Signals(-status).name})"
    return "exit status 0" if status == 0 else f"exit status {status}"


@contextmanager
def _forwarding_signals(pool: WorkerPool) -> Iterator[None]:
    """Ctrl-C, SIGTERM or SIGHUP stops the workers cleanly; the coordinator then writes what they produced."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    # SIGHUP: the process that started this crawl (a watch's scheduler) is gone (crawler.runs.children).
    previous = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}

    def stop(number: int, frame: Any) -> None:
        logger.warning("stopping the workers (signal %d); lines written so far are kept", number)
        pool.stop()

    for number in previous:
        signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)

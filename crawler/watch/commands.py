"""What ``newsarchive watch list|run|once`` do, as functions the CLI and the tests call.

Each returns an exit status: 0 done, 1 a run failed or was interrupted (or a
job was busy), 2 a refused plan or argument (:class:`~crawler.watch.plans.PlanError`,
raised before anything runs).
"""

from __future__ import annotations

import logging
import signal
import sys
from datetime import datetime
from types import FrameType
from typing import TextIO

from crawler.runs.outcome import EXIT_FAILED, EXIT_OK
from crawler.watch.backends import Backend
from crawler.watch.plans import Plan
from crawler.watch.scheduler import JobBusy, Scheduler

logger = logging.getLogger(__name__)


def configure_logging(stream: TextIO = sys.stderr) -> None:
    """The scheduler's log: one line per event, with the time, on *stream*."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S%z"))
    root = logging.getLogger("crawler.watch")
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def list_jobs(plan: Plan, now: datetime | None = None, out: TextIO = sys.stdout) -> int:
    """Each job: its schedule, last run, next run, what is due."""
    scheduler = Scheduler(plan)
    try:
        for status in scheduler.status(now):
            job = status.job
            print(f"{job.name}: spider {job.spider}, cron '{job.cron}' ({job.timezone.key}), archive {job.output}",
                  file=out)
            last = status.last_run
            if last is None:
                print("  last run:   none yet", file=out)
            else:
                ended = last.ended_at.isoformat() if last.ended_at else "not ended"
                print(f"  last run:   #{last.id} {last.status} (slot {last.slot.isoformat()}, attempt "
                      f"{last.attempt}, ended {ended}), job folder {last.job_dir}", file=out)
                if last.summary:
                    print(f"              {last.summary}", file=out)
            print(f"  next run:   {'due now' if status.next_run is None else status.next_run.isoformat()}", file=out)
            print(f"  articles:   {status.known} known; due a revisit now: {len(status.due_now)}"
                  + (f" ({', '.join(f'{a} at {age}' for a, age in status.due_now[:10])}"
                     f"{', …' if len(status.due_now) > 10 else ''})" if status.due_now else "")
                  + (f"; next revisit {status.next_revisit.isoformat()}" if status.next_revisit else ""), file=out)
    finally:
        scheduler.close()
    return EXIT_OK


def run_once(plan: Plan, job: str, *, backend: Backend | None = None, now: datetime | None = None,
             out: TextIO = sys.stdout) -> int:
    """One run of *job* now; prints its summary and warnings."""
    scheduler = Scheduler(plan, backend)
    previous = _stop_on_signals(scheduler)
    try:
        outcome = scheduler.once(job, now)
    except JobBusy as e:
        print(f"newsarchive watch once: {e}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        _restore(previous)
        scheduler.close()
    print(f"newsarchive: {outcome.summary}", file=out)
    for warning in outcome.warnings:
        print(f"  warning: {warning}", file=out)
    return EXIT_OK if outcome.run.status == "finished" else EXIT_FAILED


def run_forever(plan: Plan, *, backend: Backend | None = None) -> int:
    """The foreground scheduler, until SIGTERM or Ctrl-C (which stop it cleanly)."""
    scheduler = Scheduler(plan, backend)
    previous = _stop_on_signals(scheduler)
    try:
        scheduler.serve()
    finally:
        _restore(previous)
        scheduler.close()
    return EXIT_OK


def _stop_on_signals(scheduler: Scheduler) -> dict[int, object]:
    def handler(signum: int, frame: FrameType | None) -> None:
        logger.info("%s received: stopping the runs under way cleanly", signal.Signals(signum).name)
        scheduler.stop()

    return {signum: signal.signal(signum, handler) for signum in (signal.SIGTERM, signal.SIGINT)}


def _restore(previous: dict[int, object]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)  # type: ignore[arg-type]

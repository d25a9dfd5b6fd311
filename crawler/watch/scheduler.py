"""The scheduler: runs each job of a plan at its cron slots, one run of a job at a time, and survives restarts.

- **Due**: a job that never ran runs at once; then at each slot of its cron
  expression; slots missed while no scheduler ran are caught up by one run.
- **One at a time**: a run holds its job's lock (:mod:`crawler.watch.locks`)
  from before it decides what to do until its crawl has ended, so two
  schedulers on one archive never run a job twice at once.
- **Restarts**: a run left ``running`` by a scheduler that died is read back
  (its whole lines teach the state) and marked ``interrupted``; an
  interrupted run is retried first, as a new attempt of the same slot that
  skips what the earlier attempt captured.
- **Stopping**: on SIGTERM or Ctrl-C (:meth:`Scheduler.stop`) each crawl under
  way is asked to stop (WARCs closed, lines whole), then read back and marked
  ``interrupted``.

Each run's summary is logged; its record is the job folder and the state.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from crawler.watch.backends import ActiveRun, Backend
from crawler.watch.backends.local import LocalBackend
from crawler.watch.incremental import RUN_PLAN_FILENAME, RunPlan, RunPlanError, load_run_plan
from crawler.watch.locks import JobLock
from crawler.watch.plans import JobPlan, Plan
from crawler.watch.policy import due_slot, format_duration, next_slot
from crawler.watch.runs import RunOutcome, RunSpec, earlier_lines, finish_run, prepare_run
from crawler.watch.state import Run, WatchState

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # attempts at one slot before the scheduler moves on to the next
BUSY_RETRY_SECONDS = 5.0  # how soon a scheduler looks again at a job whose lock someone else holds
IDLE_SECONDS = 60.0  # the longest the scheduler sleeps without looking at its jobs
_POLL_SECONDS = 0.5
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


class JobBusy(RuntimeError):
    """Another run of the job holds its lock."""


@dataclass(frozen=True)
class Work:
    """What a job's next run is for: the slot, the time its decisions are made against, the attempt."""

    slot: datetime
    decided_at: datetime
    attempt: int


@dataclass(frozen=True)
class JobStatus:
    """What ``watch list`` shows of a job."""

    job: JobPlan
    last_run: Run | None
    next_run: datetime | None  # None: due now
    known: int
    due_now: list[tuple[str, str]]  # (article id, age)
    next_revisit: datetime | None


class Scheduler:
    """Runs the jobs of *plan* with *backend* (local processes by default)."""

    def __init__(self, plan: Plan, backend: Backend | None = None, *, clock: Clock = system_clock,
                 lock_timeout: float = 0.0):
        self.plan = plan
        self.backend = backend or LocalBackend()
        self.clock = clock
        self.lock_timeout = lock_timeout
        self.owner = f"{socket.gethostname()}:{os.getpid()}"
        self._stop = threading.Event()
        self._wake = threading.Event()  # the serving loop looks at its jobs again: a run ended, or stop()
        self._states: dict[Path, WatchState] = {}
        self._states_lock = threading.Lock()

    def state(self, job: JobPlan) -> WatchState:
        folder = job.output.resolve()
        with self._states_lock:
            if folder not in self._states:
                self._states[folder] = WatchState(folder)
            return self._states[folder]

    def close(self) -> None:
        for state in self._states.values():
            state.close()
        self._states.clear()

    def stop(self) -> None:
        """Stop cleanly: crawls under way are asked to stop and are recorded as interrupted."""
        self._stop.set()
        self._wake.set()

    # --- what is due ---

    def next_work(self, job: JobPlan, now: datetime) -> Work | None:
        """The run *job* owes at *now*: the retry of an interrupted run, a due slot, or nothing."""
        state = self.state(job)
        last = state.last_run(job.name)
        if last is not None and last.status in ("interrupted", "running") and last.attempt < MAX_ATTEMPTS:
            return Work(last.slot, last.decided_at, last.attempt + 1)
        slot = due_slot(job.cron, job.timezone, last.slot if last else None, now)
        return Work(slot, now, 1) if slot is not None else None

    def status(self, now: datetime | None = None) -> list[JobStatus]:
        now = now or self.clock()
        statuses = []
        for job in self.plan.jobs.values():
            state = self.state(job)
            last = state.last_run(job.name)
            work = self.next_work(job, now)
            articles = state.articles(job.name)
            due = [(a.id, format_duration(age)) for a, age in state.due(job.name, now, job.revisit.ages)]
            upcoming = [a.next_due_at for a in articles if a.next_due_at and a.next_due_at > now]
            statuses.append(JobStatus(
                job=job, last_run=last,
                next_run=None if work else next_slot(job.cron, job.timezone, last.slot if last else now),
                known=len(articles), due_now=due, next_revisit=min(upcoming, default=None)))
        return statuses

    # --- running ---

    def tick(self, now: datetime | None = None) -> list[RunOutcome]:
        """Run every job that is due at *now* (default: the clock), one after the other; return their outcomes."""
        now = now or self.clock()
        outcomes = []
        for job in self.plan.jobs.values():
            if self._stop.is_set():
                break
            work = self.next_work(job, now)
            if work is None:
                continue
            try:
                outcome = self.run_job(job, now, forced=None)
            except JobBusy as e:
                logger.info("%s", e)
                continue
            if outcome is not None:
                outcomes.append(outcome)
        return outcomes

    def once(self, job_name: str, now: datetime | None = None) -> RunOutcome:
        """One run of *job_name* now, whatever its schedule (:class:`JobBusy` if it is running elsewhere)."""
        job = self.plan.job(job_name)
        now = now or self.clock()
        outcome = self.run_job(job, now, forced=Work(now, now, 1))
        assert outcome is not None
        return outcome

    def run_job(self, job: JobPlan, now: datetime, forced: Work | None) -> RunOutcome | None:
        """Take the job's lock, recover what a dead scheduler left, then make the run that is due (or *forced*)."""
        lock = JobLock(job.output.resolve(), job.name)
        if not lock.acquire(self.lock_timeout, self._stop):
            raise JobBusy(f"job {job.name} is running elsewhere (its lock {lock.path} is held); not started")
        try:
            self.recover(job)
            work = forced or self.next_work(job, now)
            if work is None or self._stop.is_set():
                return None
            spec = prepare_run(self.state(job), job, slot=work.slot, decided_at=work.decided_at,
                               attempt=work.attempt, backend=self.backend.name, owner=self.owner,
                               resume=self.backend.resumes)
            logger.info("run %s of %s started: slot %s, attempt %s, %s known articles, %s due a revisit; "
                        "job folder %s", spec.run.id, job.name, work.slot.isoformat(), work.attempt,
                        len(spec.run_plan.known), len(spec.run_plan.revisits()), spec.job_dir)
            try:
                active = self.backend.start(spec, lock.fd if self.backend.inherits_lock else None)
            except Exception as e:  # noqa: BLE001 (any failure to start is recorded on the run)
                logger.error("run %s of %s could not start: %s", spec.run.id, job.name, e)
                return finish_run(self.state(job), spec, exit_status=None, stopped=False, started=False,
                                  note=f"the crawl could not be started: {e}")
            self.state(job).update_run(spec.run.id, backend_ref=active.ref)
            exit_status, stopped = self._wait(active)
            outcome = finish_run(self.state(job), spec, exit_status=exit_status, stopped=stopped)
            logger.info("%s", outcome.summary)
            for warning in outcome.warnings[:10]:
                logger.info("run %s of %s: %s", outcome.run.id, job.name, warning)
            return outcome
        finally:
            lock.release()

    def _wait(self, active: ActiveRun) -> tuple[int | None, bool]:
        stopped = False
        while True:
            try:
                return active.wait(_POLL_SECONDS), stopped
            except TimeoutError:
                if self._stop.is_set() and not stopped:
                    logger.info("stopping the crawl %s (it closes its WARC files and lines first)", active.ref)
                    active.stop()
                    stopped = True

    def recover(self, job: JobPlan) -> None:
        """With the job's lock held: read back and mark ``interrupted`` the runs a dead scheduler left running."""
        state = self.state(job)
        for run in state.runs(job.name, status="running"):
            if run.backend_ref and self.backend.still_running(run.backend_ref):
                logger.info("run %s of %s: its crawl %s is still under way; stopping it", run.id, job.name,
                            run.backend_ref)
                self.backend.stop_orphan(run.backend_ref)
            folder = job.output.resolve() / (run.job_dir or "")
            spec = RunSpec(job=job, run=run, archive_dir=job.output.resolve(), job_dir=folder,
                           run_plan=_run_plan_of(folder), plan_file=folder / RUN_PLAN_FILENAME,
                           earlier_lines=earlier_lines(folder, run))
            outcome = finish_run(state, spec, exit_status=None, stopped=True,
                                 note=f"the scheduler that started it ({run.owner}) stopped without finishing it")
            logger.info("recovered: %s", outcome.summary)

    def serve(self) -> None:
        """Run due jobs until :meth:`stop`: each job in a thread of its own, never two runs of one job at once."""
        active: dict[str, threading.Thread] = {}
        busy_until: dict[str, datetime] = {}
        woken = self._wake

        def run(job: JobPlan, now: datetime) -> None:
            try:
                self.run_job(job, now, forced=None)
            except JobBusy as e:
                logger.info("%s; looking again in %.0f s", e, BUSY_RETRY_SECONDS)
                busy_until[job.name] = self.clock() + _seconds(BUSY_RETRY_SECONDS)
            except Exception:  # noqa: BLE001 (a broken run must not stop the other jobs)
                logger.exception("run of %s failed", job.name)
                busy_until[job.name] = self.clock() + _seconds(IDLE_SECONDS)
            finally:
                woken.set()

        logger.info("watching %s job(s) of %s: %s", len(self.plan.jobs), self.plan.path, ", ".join(self.plan.jobs))
        while not self._stop.is_set():
            woken.clear()  # before looking: a run that ends from here on wakes the wait below
            now = self.clock()
            wake = now + _seconds(IDLE_SECONDS)
            for job in self.plan.jobs.values():
                if job.name in active and active[job.name].is_alive():
                    continue
                if busy_until.get(job.name, now) > now:
                    wake = min(wake, busy_until[job.name])
                    continue
                work = self.next_work(job, now)
                if work is None:
                    last = self.state(job).last_run(job.name)
                    wake = min(wake, next_slot(job.cron, job.timezone, last.slot if last else now))
                    continue
                thread = threading.Thread(target=run, args=(job, now), name=f"watch-{job.name}", daemon=True)
                active[job.name] = thread
                thread.start()
            if self._stop.is_set():
                break
            woken.wait(max(0.0, min((wake - self.clock()).total_seconds(), IDLE_SECONDS)))
        for thread in active.values():
            thread.join()
        logger.info("stopped")


def _run_plan_of(folder: Path) -> RunPlan:
    try:
        return load_run_plan(str(folder / RUN_PLAN_FILENAME))
    except RunPlanError:
        return RunPlan()


def _seconds(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)

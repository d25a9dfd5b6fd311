"""One run of a watched job, before and after the crawl: its job folder, run plan and manifest; what it captured.

Before: a new job folder in the archive, the run plan the spider reads
(``watch-plan.json``: known, done, due), a ``runs`` row, and the crawl's
arguments and settings (the same for every backend). After: the run's lines
(``items.jsonl``) and final stats (``stats.json``) are read back, the state
learns each captured article, and ``watch-run.json`` records the run: start,
end, status, counts, warnings and what was due.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from crawler.domain.jobstate import JobManifest, ManifestError
from crawler.domain.layout import STATS_FILENAME, create_job
from crawler.domain.outputs import write_json
from crawler.runs.crawl import project_settings
from crawler.watch.extension import EXTENSION
from crawler.watch.incremental import (
    RUN_PLAN_ARGUMENT,
    RUN_PLAN_FILENAME,
    Revisit,
    RunPlan,
    load_run_plan,
    write_run_plan,
)
from crawler.watch.plans import JobPlan, crawl_settings
from crawler.watch.policy import format_duration
from crawler.watch.state import Capture, Run, WatchState

logger = logging.getLogger(__name__)

MANIFEST_FILENAME = "watch-run.json"
ITEMS_FILENAME = "items.jsonl"
OPEN_SUFFIX = ".open"
MAX_LISTED_WARNINGS = 50
# How a crawl may end without being cut short: by finishing, or at a limit of the plan.
_LIMIT_REASONS = {"closespider_pagecount": "the page limit", "closespider_timeout": "the time limit"}


@dataclass
class RunSpec:
    """A prepared run: everything a backend needs to start the crawl, and what finishing it needs."""

    job: JobPlan
    run: Run
    archive_dir: Path
    job_dir: Path
    run_plan: RunPlan
    plan_file: Path
    spider_args: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    resumes: bool = False  # the crawl goes on in the job folder of an interrupted attempt (crawl --resume)
    earlier_lines: int = 0  # lines of items.jsonl an earlier attempt wrote (and the state has learnt)

    @property
    def job_id(self) -> str:
        return self.job_dir.name


@dataclass
class RunOutcome:
    """How a run ended, as recorded in the state and its manifest."""

    run: Run
    job_dir: Path
    counts: dict[str, Any]
    warnings: list[str]
    summary: str


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def prepare_run(state: WatchState, job: JobPlan, *, slot: datetime, decided_at: datetime, attempt: int,
                backend: str, owner: str, resume: bool = False) -> RunSpec:
    """Create the run's job folder, run plan and ``runs`` row (status ``running``).

    With *resume* (a backend that can run ``crawl --resume``), the retry of an interrupted attempt whose crawl
    can be resumed goes on in that attempt's job folder, with its run plan, instead of starting over.
    """
    archive_dir = job.output.resolve()
    interrupted = resumable_attempt(state, job, slot) if resume and attempt > 1 else None
    run_id = state.start_run(job=job.name, slot=slot, attempt=attempt, decided_at=decided_at, backend=backend,
                             started_at=now_utc(), owner=owner)
    if interrupted is not None:
        return _resumed_run(state, job, run_id, archive_dir, interrupted)
    done = state.captured_in_slot(job.name, slot) if attempt > 1 else set()
    due = [Revisit(id=article.id, url=article.url, age=format_duration(age), etag=article.etag,
                   last_modified=article.last_modified)
           for article, age in state.due(job.name, decided_at, job.revisit.ages)]
    run_plan = RunPlan(known=frozenset(state.known_before(job.name, slot)), done=frozenset(done), due=tuple(due),
                       conditional=job.revisit.conditional, job=job.name, run=run_id,
                       decided_at=decided_at.isoformat())
    job_folder = create_job(archive_dir, job.name, now_utc())
    state.update_run(run_id, job_dir=job_folder.id)
    plan_file = write_run_plan(job_folder.dir, run_plan)
    # Added to the project's extensions (the job folder, the WARC archive…), not in place of them.
    extensions = {**project_settings().getdict("EXTENSIONS"), **dict(job.settings.get("EXTENSIONS") or {})}
    settings = crawl_settings(job, {
        "ARCHIVE_DIR": str(archive_dir),
        "ARCHIVE_JOB_ID": job_folder.id,
        "EXTENSIONS": {**extensions, EXTENSION: 1000},
    })
    spec = RunSpec(job=job, run=state.run(run_id), archive_dir=archive_dir, job_dir=job_folder.dir,
                   run_plan=run_plan, plan_file=plan_file,
                   spider_args={**job.args, RUN_PLAN_ARGUMENT: str(plan_file)}, settings=settings)
    write_manifest(spec.job_dir, _manifest(spec, spec.run, {}, []))
    return spec


def resumable_attempt(state: WatchState, job: JobPlan, slot: datetime) -> Run | None:
    """The last attempt at *slot*, if it was interrupted and ``newsarchive crawl --resume`` can go on with its
    crawl (a manifest that says the crawl did not end as meant, WARC files in its own folder)."""
    last = state.last_run(job.name)
    if last is None or last.slot != slot or last.status != "interrupted" or not last.job_dir:
        return None
    try:
        manifest = JobManifest.read(job.output.resolve() / last.job_dir)
    except ManifestError:
        return None  # the crawl never started, or another backend ran it
    return None if manifest.complete or manifest.settings.get("WARC_DIR") else last


def earlier_lines(job_dir: Path, run: Run) -> int:
    """How many lines of *job_dir*'s items.jsonl attempts before *run* wrote (as its manifest says)."""
    try:
        manifest = json.loads((job_dir / MANIFEST_FILENAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    return int(manifest.get("lines_of_earlier_attempts") or 0) if manifest.get("run") == run.id else 0


def _resumed_run(state: WatchState, job: JobPlan, run_id: int, archive_dir: Path, interrupted: Run) -> RunSpec:
    folder = archive_dir / str(interrupted.job_dir)
    state.update_run(run_id, job_dir=folder.name)
    plan_file = folder / RUN_PLAN_FILENAME
    manifest = JobManifest.read(folder)
    spec = RunSpec(job=job, run=state.run(run_id), archive_dir=archive_dir, job_dir=folder,
                   run_plan=load_run_plan(str(plan_file)), plan_file=plan_file,
                   spider_args=dict(manifest.arguments), settings={}, resumes=True,
                   earlier_lines=len(_lines(folder / ITEMS_FILENAME)))
    logger.info("run %s of %s resumes the crawl of run %s in %s", run_id, job.name, interrupted.id, folder)
    for name in (MANIFEST_FILENAME, STATS_FILENAME):  # the interrupted attempt's, kept under its run's number
        if (folder / name).exists():
            (folder / name).replace(folder / f"{Path(name).stem}-of-run-{interrupted.id}.json")
    write_manifest(folder, _manifest(spec, spec.run, {}, []))
    return spec


def finish_run(state: WatchState, spec: RunSpec, *, exit_status: int | None, stopped: bool,
               started: bool = True, note: str | None = None) -> RunOutcome:
    """Read what the crawl left in the job folder, teach the state, and record the run's end.

    *stopped*: the scheduler stopped the crawl (SIGTERM, Ctrl-C) — the run is
    ``interrupted`` and will be retried. A crawl that left no stats was killed:
    interrupted too.
    """
    run = spec.run
    lines = _lines(spec.job_dir / ITEMS_FILENAME)[spec.earlier_lines:]
    captures = read_captures(spec.job_dir, spec.run_plan, lines)
    state.record_captures(spec.job.name, run.id, run.decided_at, captures, spec.job.revisit.ages)
    stats = read_stats(spec.job_dir)
    reason = stats.get("finish_reason")
    warnings: list[str] = [note] if note else []
    killed = not stats and exit_status is not None and exit_status < 0  # by a signal, before Scrapy could close
    if not started:
        status = "failed"
    elif stopped or reason == "shutdown" or killed:
        status = "interrupted"
        warnings.append("interrupted before the crawl finished: retried on the next start" if not killed else
                        f"the crawl was killed by signal {-exit_status}: retried on the next start")  # type: ignore[operator]
    elif not stats:
        status = "failed"
        warnings.append(f"the crawl ended without its final stats (exit status {exit_status}): see crawl.log "
                        "(or the scrapyd job's log)")
    elif exit_status not in (0, None) or stats.get("log_count/ERROR") or stats.get("spider_exceptions/count"):
        status = "failed"
        warnings.append(f"the crawl had errors (exit status {exit_status}, "
                        f"{stats.get('log_count/ERROR', 0)} errors logged; see crawl.log)")
    else:
        status = "finished"
    if reason in _LIMIT_REASONS:
        warnings.append(f"stopped at {_LIMIT_REASONS[reason]} of the plan ({reason})")
    counts = _counts(captures, stats, lines)
    captured = {capture.article for capture in captures}
    if status != "interrupted":
        warnings += [f"due revisit of {revisit.id} gave no line" for revisit in spec.run_plan.revisits()
                     if revisit.id not in captured]
    warnings += _item_warnings(lines)
    ended = now_utc()
    summary = _summary(spec, status, counts, ended)
    state.update_run(run.id, status=status, ended_at=ended, exit_status=exit_status, counts=counts, summary=summary)
    run = state.run(run.id)
    write_manifest(spec.job_dir, _manifest(spec, run, counts, warnings))
    return RunOutcome(run, spec.job_dir, counts, warnings, summary)


def read_captures(job_dir: Path, run_plan: RunPlan, lines: list[dict[str, Any]]) -> list[Capture]:
    """The run's article *lines* as captures, with each article page's validators read from its WARC record."""
    due = {revisit.id: revisit for revisit in run_plan.due}
    captures = []
    for line in lines:
        source = _article_source(line)
        etag, last_modified = _validators(job_dir, source) if source else (None, None)
        revisit = due.get(line["id"])
        kind = "revisit" if revisit else "capture" if line["id"] in run_plan.known else "new"
        captures.append(Capture(
            article=line["id"], url=line["url"], captured_at=line.get("fetched_at"),
            published_at=line.get("published_at"), status=source.get("status") if source else None, kind=kind,
            age=revisit.age if revisit else None, etag=etag, last_modified=last_modified,
            not_modified=bool(line.get("not_modified")),
        ))
    return captures


def read_stats(job_dir: Path) -> dict[str, Any]:
    try:
        return json.loads((job_dir / STATS_FILENAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_manifest(job_dir: Path, manifest: dict[str, Any]) -> None:
    write_json(job_dir / MANIFEST_FILENAME, manifest)


def _lines(path: Path) -> list[dict[str, Any]]:
    """Every whole line of a JSON Lines file (a crawl killed mid-write leaves at most a cut last line)."""
    if not path.exists():
        return []
    lines = []
    with path.open("rb") as fh:
        for raw in fh:
            if not raw.endswith(b"\n"):
                logger.warning("%s: the last line is cut off; left out", path)
                break
            lines.append(json.loads(raw))
    return lines


def _article_source(line: dict[str, Any]) -> dict[str, Any] | None:
    """The capture of the article page itself among a line's sources (after any redirects)."""
    return next((s for s in line.get("sources") or [] if s.get("url") == line.get("url")), None)


def _validators(job_dir: Path, source: dict[str, Any]) -> tuple[str | None, str | None]:
    """``ETag`` and ``Last-Modified`` of a captured response, read from its WARC record."""
    name, offset = source.get("warc_filename"), source.get("warc_offset")
    if not name or offset is None:
        return None, None
    path = job_dir / name
    if not path.exists():
        path = job_dir / (name + OPEN_SUFFIX)
    try:
        with path.open("rb") as stream:
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream)))
            headers = record.http_headers
            return (headers.get_header("ETag"), headers.get_header("Last-Modified")) if headers else (None, None)
    except (OSError, StopIteration, ValueError) as e:
        logger.warning("cannot read the validators of %s from %s at %s: %s", source.get("url"), path, offset, e)
        return None, None


def _counts(captures: list[Capture], stats: dict[str, Any], lines: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "lines": len(captures),
        "new_articles": sum(c.kind == "new" for c in captures),
        "revisits": sum(c.kind == "revisit" for c in captures),
        "not_modified": sum(c.not_modified for c in captures),
        "comments": sum(len(line.get("comments") or []) for line in lines),
        "article_warnings": sum(len(line.get("warnings") or []) for line in lines),
        "requests": stats.get("downloader/request_count", 0),
        "responses": stats.get("downloader/response_count", 0),
        "http_304": stats.get("downloader/response_status_count/304", 0),
        "warc_revisit_records": stats.get("warc/revisits", 0),
        "warc_response_records": stats.get("warc/responses", 0),
        "listed_known": stats.get("watch/listed_known", 0),
        "elapsed_seconds": round(float(stats.get("elapsed_time_seconds", 0)), 3),
        "finish_reason": stats.get("finish_reason"),
    }


def _item_warnings(lines: list[dict[str, Any]]) -> list[str]:
    found = [f"{line['id']}: {warning}" for line in lines for warning in line.get("warnings") or []]
    if len(found) > MAX_LISTED_WARNINGS:
        found = found[:MAX_LISTED_WARNINGS] + [f"… and {len(found) - MAX_LISTED_WARNINGS} more article warnings"]
    return found


def _summary(spec: RunSpec, status: str, counts: dict[str, Any], ended: datetime) -> str:
    run = spec.run
    seconds = (ended - run.started_at).total_seconds()
    return (f"run {run.id} of {spec.job.name} (slot {run.slot.isoformat()}, attempt {run.attempt}) {status} in "
            f"{seconds:.1f} s: {counts['new_articles']} new articles, {counts['revisits']} revisits "
            f"({counts['not_modified']} not modified), {counts['comments']} comments, "
            f"{counts['article_warnings']} article warnings; {counts['requests']} requests "
            f"({counts['http_304']} answered 304, {counts['warc_revisit_records']} WARC revisit records); "
            f"job folder {spec.job_dir}")


def _manifest(spec: RunSpec, run: Run, counts: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    return {
        "job": spec.job.name,
        "run": run.id,
        "slot": run.slot.isoformat(),
        "attempt": run.attempt,
        "decided_at": run.decided_at.isoformat(),
        "backend": run.backend,
        "status": run.status,
        "started_at": run.started_at.isoformat(),
        "ended_at": run.ended_at.isoformat() if run.ended_at else None,
        "exit_status": run.exit_status,
        "spider": spec.job.spider,
        "arguments": spec.spider_args,
        "counts": counts,
        "warnings": warnings,
        "known_articles": len(spec.run_plan.known),
        "done_by_earlier_attempts": sorted(spec.run_plan.done),
        "resumed": spec.resumes,
        "lines_of_earlier_attempts": spec.earlier_lines,
        "due": [{"id": r.id, "url": r.url, "age": r.age} for r in spec.run_plan.due],
    }

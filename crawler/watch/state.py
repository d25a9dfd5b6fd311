"""A watch's memory: its runs and what it knows of each article, in SQLite in the archive folder.

``watch-state.sqlite3`` beside the job folders (WAL mode, so a ``watch list``
can read while a scheduler writes). Tables:

- ``runs``: one row per run of a job: the cron slot it is for, its attempt
  (2, 3… when an interrupted run is retried), the time its decisions were made
  against, backend, job folder, status (``running``, ``finished``, ``failed``,
  ``interrupted``), start and end, exit status, counts (JSON) and summary.
- ``articles``: per job and article: URL, publication time, first and last
  capture (time and run), the decision time of the run that last captured it,
  the validators (``ETag``, ``Last-Modified``) of its last capture, the
  revisits done (JSON: age, run, time) and when the next one falls due.
- ``captures``: which run captured which article, when, as what (``new``,
  ``revisit``, ``capture``), with the article page's HTTP status.

Ingesting a run is idempotent (a run recovered after a crash may be read twice).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from crawler.watch.policy import due_age, next_due

STATE_FILENAME = "watch-state.sqlite3"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job TEXT NOT NULL,
    slot TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    decided_at TEXT NOT NULL,
    backend TEXT NOT NULL,
    job_dir TEXT,
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    exit_status INTEGER,
    owner TEXT,
    backend_ref TEXT,
    counts TEXT,
    summary TEXT
);
CREATE INDEX IF NOT EXISTS runs_by_job ON runs (job, id);
CREATE TABLE IF NOT EXISTS articles (
    job TEXT NOT NULL,
    id TEXT NOT NULL,
    url TEXT NOT NULL,
    published_at TEXT,
    first_captured_at TEXT NOT NULL,
    first_run INTEGER NOT NULL,
    last_captured_at TEXT NOT NULL,
    last_run INTEGER NOT NULL,
    last_decided_at TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    revisits TEXT NOT NULL DEFAULT '[]',
    next_due_at TEXT,
    PRIMARY KEY (job, id)
);
CREATE TABLE IF NOT EXISTS captures (
    run_id INTEGER NOT NULL,
    job TEXT NOT NULL,
    article TEXT NOT NULL,
    captured_at TEXT,
    kind TEXT NOT NULL,
    status INTEGER,
    PRIMARY KEY (run_id, article)
);
"""


@dataclass
class Run:
    """One row of ``runs``."""

    id: int
    job: str
    slot: datetime
    attempt: int
    decided_at: datetime
    backend: str
    job_dir: str | None
    status: str
    started_at: datetime
    ended_at: datetime | None
    exit_status: int | None
    owner: str | None
    backend_ref: str | None
    counts: dict[str, Any]
    summary: str | None


@dataclass(frozen=True)
class KnownArticle:
    """What the state holds of one article of a job."""

    id: str
    url: str
    published_at: datetime | None
    last_decided_at: datetime
    last_captured_at: datetime
    etag: str | None
    last_modified: str | None
    revisits: list[dict[str, Any]]
    next_due_at: datetime | None


@dataclass(frozen=True)
class Capture:
    """An article line of a finished run, as the state records it."""

    article: str
    url: str
    captured_at: str | None
    published_at: str | None
    status: int | None
    kind: str  # new | revisit | capture
    age: str | None = None  # the revisit age it was due for
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


class WatchState:
    """The state database of one archive folder."""

    def __init__(self, archive_dir: Path):
        archive_dir.mkdir(parents=True, exist_ok=True)
        self.path = archive_dir / STATE_FILENAME
        try:
            self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(_SCHEMA)
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        except sqlite3.DatabaseError as e:
            raise RuntimeError(f"cannot use the watch state {self.path}: {e}") from e

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- runs ---

    def start_run(self, *, job: str, slot: datetime, attempt: int, decided_at: datetime, backend: str,
                  started_at: datetime, owner: str) -> int:
        cursor = self.db.execute(
            "INSERT INTO runs (job, slot, attempt, decided_at, backend, status, started_at, owner) "
            "VALUES (?, ?, ?, ?, ?, 'running', ?, ?)",
            (job, slot.isoformat(), attempt, decided_at.isoformat(), backend, started_at.isoformat(), owner))
        return int(cursor.lastrowid or 0)

    def update_run(self, run_id: int, **values: Any) -> None:
        if "counts" in values:
            values["counts"] = json.dumps(values["counts"])
        for key in ("ended_at",):
            if isinstance(values.get(key), datetime):
                values[key] = values[key].isoformat()
        columns = ", ".join(f"{name} = ?" for name in values)
        self.db.execute(f"UPDATE runs SET {columns} WHERE id = ?", (*values.values(), run_id))  # noqa: S608

    def runs(self, job: str | None = None, status: str | None = None) -> list[Run]:
        query, params = "SELECT * FROM runs WHERE 1=1", []
        if job is not None:
            query, params = query + " AND job = ?", [*params, job]
        if status is not None:
            query, params = query + " AND status = ?", [*params, status]
        rows = self.db.execute(query + " ORDER BY id", params).fetchall()
        return [_run(row) for row in rows]

    def run(self, run_id: int) -> Run:
        return _run(self.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone())

    def last_run(self, job: str) -> Run | None:
        runs = self.runs(job)
        return runs[-1] if runs else None

    # --- articles ---

    def articles(self, job: str) -> list[KnownArticle]:
        rows = self.db.execute(
            "SELECT id, url, published_at, last_decided_at, last_captured_at, etag, last_modified, revisits, "
            "next_due_at FROM articles WHERE job = ? ORDER BY id", (job,)).fetchall()
        return [KnownArticle(row[0], row[1], _time(row[2]), _time(row[3]), _time(row[4]),  # type: ignore[arg-type]
                             row[5], row[6], json.loads(row[7]), _time(row[8])) for row in rows]

    def known_before(self, job: str, slot: datetime) -> set[str]:
        """Articles first captured by runs for slots before *slot* (what the listing walk stops at)."""
        rows = self.db.execute(
            "SELECT a.id FROM articles a JOIN runs r ON r.id = a.first_run WHERE a.job = ? AND r.slot < ?",
            (job, slot.isoformat())).fetchall()
        return {row[0] for row in rows}

    def captured_in_slot(self, job: str, slot: datetime) -> set[str]:
        """Articles captured by any attempt of the run for *slot* (a retry skips them)."""
        rows = self.db.execute(
            "SELECT c.article FROM captures c JOIN runs r ON r.id = c.run_id WHERE r.job = ? AND r.slot = ?",
            (job, slot.isoformat())).fetchall()
        return {row[0] for row in rows}

    def due(self, job: str, now: datetime, ages: Sequence[timedelta]) -> list[tuple[KnownArticle, timedelta]]:
        """The articles of *job* due a revisit at *now*, with the age each is due for, oldest due first."""
        found = []
        for article in self.articles(job):
            age = due_age(article.published_at, article.last_decided_at, now, ages)
            if age is not None:
                found.append((article, age))
        return sorted(found, key=lambda pair: (pair[0].published_at or now) + pair[1])

    def record_captures(self, job: str, run_id: int, decided_at: datetime, captures: Sequence[Capture],
                        ages: Sequence[timedelta]) -> None:
        """Record *captures* of run *run_id*: its captures rows and each article's knowledge. Idempotent."""
        with self.transaction():
            for capture in captures:
                inserted = self.db.execute(
                    "INSERT OR IGNORE INTO captures VALUES (?, ?, ?, ?, ?, ?)",
                    (run_id, job, capture.article, capture.captured_at, capture.kind, capture.status)).rowcount
                if inserted:
                    self._learn(job, run_id, decided_at, capture, ages)

    def _learn(self, job: str, run_id: int, decided_at: datetime, capture: Capture,
               ages: Sequence[timedelta]) -> None:
        row = self.db.execute("SELECT published_at, last_decided_at, revisits, etag, last_modified, first_run "
                              "FROM articles WHERE job = ? AND id = ?", (job, capture.article)).fetchone()
        published = _time(capture.published_at) or (_time(row[0]) if row else None)
        captured_at = capture.captured_at or decided_at.isoformat()
        if row is None:
            self.db.execute(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?)",
                (job, capture.article, capture.url, _iso(published), captured_at, run_id, captured_at, run_id,
                 decided_at.isoformat(), capture.etag, capture.last_modified,
                 _iso(next_due(published, decided_at, ages))))
            return
        revisits = json.loads(row[2])
        if capture.kind == "revisit":
            revisits.append({"age": capture.age, "run": run_id, "at": captured_at,
                             "not_modified": capture.not_modified})
        last_decided = max(_time(row[1]), decided_at)  # type: ignore[type-var]
        self.db.execute(
            "UPDATE articles SET url = ?, published_at = ?, last_captured_at = ?, last_run = ?, last_decided_at = ?,"
            " etag = ?, last_modified = ?, revisits = ?, next_due_at = ? WHERE job = ? AND id = ?",
            (capture.url, _iso(published), captured_at, run_id, last_decided.isoformat(),
             capture.etag or row[3], capture.last_modified or row[4], json.dumps(revisits),
             _iso(next_due(published, last_decided, ages)), job, capture.article))


def _run(row: tuple) -> Run:
    return Run(
        id=row[0], job=row[1], slot=datetime.fromisoformat(row[2]), attempt=row[3],
        decided_at=datetime.fromisoformat(row[4]), backend=row[5], job_dir=row[6], status=row[7],
        started_at=datetime.fromisoformat(row[8]), ended_at=_time(row[9]), exit_status=row[10], owner=row[11],
        backend_ref=row[12], counts=json.loads(row[13]) if row[13] else {}, summary=row[14],
    )

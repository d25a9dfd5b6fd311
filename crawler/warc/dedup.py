"""The payload-digest index behind revisit records, shared by every crawl into one archive folder.

An SQLite file in the archive folder maps each archived payload digest to the
response record that holds that payload (record id, target URI, date, file).
A digest is added only after its record has been written, so the index never
points at a record that is not on disk; a crawl killed before a commit at
worst archives a payload again in full. WAL mode lets crawls running side by
side share the file.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from crawler.warc.records import Original

logger = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS payloads (
    digest TEXT PRIMARY KEY,
    record_id TEXT NOT NULL,
    target_uri TEXT NOT NULL,
    warc_date TEXT NOT NULL,
    warc_filename TEXT NOT NULL
)
"""


class DigestIndex:
    """Payload digest → the response record that archived that payload first."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(path, timeout=60, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
        except sqlite3.DatabaseError as e:
            raise RuntimeError(f"cannot use the WARC digest index {path}: {e}") from e

    def lookup(self, digest: str) -> Original | None:
        row = self._db.execute(
            "SELECT record_id, target_uri, warc_date FROM payloads WHERE digest = ?", (digest,)
        ).fetchone()
        if row is None:
            return None
        record_id, target_uri, warc_date = row
        return Original(record_id=record_id, target_uri=target_uri, date=datetime.fromisoformat(warc_date))

    def add(self, digest: str, original: Original, warc_filename: str) -> None:
        """Remember *original* as the record for *digest*, unless a record is known already."""
        self._db.execute(
            "INSERT OR IGNORE INTO payloads VALUES (?, ?, ?, ?, ?)",
            (digest, original.record_id, original.target_uri, original.date.isoformat(), warc_filename),
        )

    def files_holding(self, digests: Iterable[str]) -> set[str]:
        """The WARC file names that hold the records of *digests* (those the index knows)."""
        names = set()
        for digest in digests:
            row = self._db.execute("SELECT warc_filename FROM payloads WHERE digest = ?", (digest,)).fetchone()
            if row is not None:
                names.add(row[0])
        return names

    def forget_lost(self, warc_filename: str, kept: set[str]) -> int:
        """Forget the records of *warc_filename* that are not among *kept* (record ids): a file cut short lost them,
        and a revisit must never refer to them. Returns how many were forgotten."""
        rows = self._db.execute("SELECT digest, record_id FROM payloads WHERE warc_filename = ?",
                                (warc_filename,)).fetchall()
        lost = [(digest,) for digest, record_id in rows if record_id not in kept]
        self._db.executemany("DELETE FROM payloads WHERE digest = ?", lost)
        return len(lost)

    def close(self) -> None:
        self._db.close()

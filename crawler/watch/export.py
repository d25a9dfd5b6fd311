"""``newsarchive export``: an archive's captured article lines, streamed or merged per article with score history.

Input is every job folder of the archive: its ``items.jsonl`` (whole lines),
or with ``from_warcs`` the lines reprocessing rebuilds from the archive's WARC
files (``--all-captures``: one line per article capture, the same code as the
live crawl), so an archive whose JSON Lines were lost still exports the same.

Without ``latest``: every capture line (filtered by capture time and site),
job folder by job folder in the order they were crawled, each folder's lines
by capture time. With ``latest``: one line per article
(:func:`crawler.watch.history.merge_captures`), ordered by first capture.
The output is checked before anything is read or written (:func:`check_output`):
it may not lie inside the archive folder at all (its job folders, the watch's
state database and its ``-wal``/``-shm`` files), nor be one of the files read
under another name. It is written through :func:`atomic_output` (a temporary
file beside it, flushed to disk and renamed over it once complete), and
SIGINT or SIGTERM (:class:`StopSignals`) stops the export where it is: the
temporary file is removed, the previous output is left as it was, and
:class:`RunInterrupted` carries the result that says so.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.domain.outputs import OutputError, atomic_output, check_output, file_identity
from crawler.reprocess.stopping import StopSignals
from crawler.runs.outcome import EXIT_FAILED, EXIT_OK, RunInterrupted, RunRefused, signal_name
from crawler.watch.history import merge_captures

logger = logging.getLogger(__name__)

ITEMS_FILENAME = "items.jsonl"
_WARC_SUFFIXES = (".warc", ".warc.gz", ".warc.gz.open", ".warc.open")


class ExportError(RunRefused):
    """The export is refused before anything is written (bad archive, output inside it): exit status 2."""


@dataclass
class ExportResult:
    """What an export read and wrote."""

    output: Path
    job_folders: int = 0
    captures: int = 0
    lines: int = 0
    problems: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    interrupted: int | None = None  # the signal that stopped the export
    output_replaced: bool = False  # by the complete export, before the signal came

    @property
    def exit_status(self) -> int:
        if self.interrupted is not None:
            return 128 + self.interrupted
        return EXIT_FAILED if self.problems else EXIT_OK

    def interrupted_line(self) -> str:
        """One line for an export stopped by a signal: what became of its output."""
        what = (f"{self.output} had been written whole just before" if self.output_replaced
                else f"nothing written, {self.output} left as it was")
        return f"newsarchive export: interrupted by {signal_name(self.interrupted or signal.SIGINT)}: {what}"

    def summary(self) -> str:
        lines = [f"newsarchive: exported {self.lines} lines from {self.captures} captures in {self.job_folders} job "
                 f"folders in {self.elapsed:.1f} s — {self.output}"]
        lines += [f"  problem: {problem}" for problem in self.problems]
        return "\n".join(lines)


@dataclass(frozen=True)
class Filters:
    since: datetime | None = None
    until: datetime | None = None
    site: str | None = None

    def keep(self, line: dict[str, Any]) -> bool:
        fetched = _time(line.get("fetched_at"))
        if self.since is not None and (fetched is None or fetched < self.since):
            return False
        if self.until is not None and (fetched is None or fetched >= self.until):
            return False
        if self.site is not None:
            hosts = {line.get("site")} | {_host(line.get(key)) for key in ("url", "canonical_url")}
            return self.site.lower() in {h.lower() for h in hosts if h}
        return True


def export(archive: str | os.PathLike[str], output: str | os.PathLike[str], *, latest: bool = False,
           since: datetime | None = None, until: datetime | None = None, site: str | None = None,
           from_warcs: bool = False) -> ExportResult:
    """Write the export of *archive* to *output*; :class:`ExportError` for a refused run (nothing written),
    :class:`RunInterrupted` (its ``result`` an :class:`ExportResult`) for one stopped by SIGINT or SIGTERM."""
    started = time.monotonic()
    archive_dir, out = Path(archive), Path(output)
    folders = job_folders(archive_dir)
    _check_output(archive_dir, folders, out)
    result = ExportResult(output=out, job_folders=len(folders))
    filters = Filters(_utc(since), _utc(until), site)
    before = file_identity(out)
    try:
        with StopSignals(), atomic_output(out, "w", encoding="utf-8") as fh:
            by_folder = _warc_lines(archive_dir, folders, result) if from_warcs else _item_lines(folders, result)
            result.captures = sum(len(lines) for lines in by_folder.values())
            captures = [line for folder in _crawl_order(by_folder) for line in _by_time(by_folder[folder])
                        if filters.keep(line)]
            rows = _latest(captures) if latest else captures
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            result.lines = len(rows)
    except RunInterrupted as e:
        result.interrupted = e.signum
        # The output is renamed into place once complete: if that happened before the signal, it is complete.
        result.output_replaced = file_identity(out) != before
        result.elapsed = time.monotonic() - started
        e.result = result
        raise
    result.elapsed = time.monotonic() - started
    return result


def job_folders(archive_dir: Path) -> list[Path]:
    """The archive's job folders: its subfolders that hold an ``items.jsonl`` or WARC files."""
    if not archive_dir.is_dir():
        raise ExportError(f"{archive_dir} is not a folder")
    folders = [folder for folder in sorted(archive_dir.iterdir()) if folder.is_dir() and (
        (folder / ITEMS_FILENAME).exists() or any(_is_warc(path) for path in folder.iterdir()))]
    if not folders:
        raise ExportError(f"{archive_dir} holds no job folders (subfolders with items.jsonl or WARC files)")
    return folders


def _check_output(archive_dir: Path, folders: list[Path], output: Path) -> None:
    """Refuse an output inside the archive folder (job folders, the watch's state database and its -wal/-shm
    files, anything a later export or watch reads) or that is one of the files read under another name."""
    if output.resolve().is_relative_to(archive_dir.resolve()):
        raise ExportError(f"cannot write {output}: it lies inside the archive folder {archive_dir}, which the export "
                          "reads (its job folders, the watch's state): write it elsewhere")
    inputs = [archive_dir, *folders, *(path for folder in folders for path in folder.iterdir() if path.is_file())]
    try:
        check_output(output, inputs)
    except OutputError as e:
        raise ExportError(f"cannot write {output}: {e}") from e


def _item_lines(folders: list[Path], result: ExportResult) -> dict[Path, list[dict[str, Any]]]:
    by_folder = {}
    for folder in folders:
        lines = []
        path = folder / ITEMS_FILENAME
        if path.exists():
            with path.open("rb") as fh:
                for number, raw in enumerate(fh, 1):
                    try:
                        if not raw.endswith(b"\n"):
                            raise ValueError("the line is cut off")
                        lines.append(json.loads(raw))
                    except ValueError as e:
                        result.problems.append(f"{path}: line {number}: {e}")
        by_folder[folder] = lines
    return by_folder


def _warc_lines(archive_dir: Path, folders: list[Path], result: ExportResult) -> dict[Path, list[dict[str, Any]]]:
    """Every article capture rebuilt from the WARCs by reprocessing, grouped by the job folder of its WARC file."""
    from crawler.reprocess import reprocess

    owner = {path.name.removesuffix(".open"): folder for folder in folders for path in folder.iterdir()
             if _is_warc(path)}
    by_folder: dict[Path, list[dict[str, Any]]] = {folder: [] for folder in folders}
    with tempfile.TemporaryDirectory(prefix="newsarchive-export-") as scratch:
        lines_file = Path(scratch) / "captures.jsonl"
        try:
            done = reprocess([str(folder) for folder in folders], output=lines_file, all_captures=True,
                             progress="none")
        except RunRefused as e:
            raise ExportError(f"cannot reprocess {archive_dir}: {e}") from e
        result.problems += [str(problem) for problem in done.problems]
        result.problems += [f"{miss.url}: not in the archive ({miss.reason})" for miss in done.misses]
        for line in _read_lines(lines_file):
            sources = line.get("sources") or [{}]
            folder = owner.get(sources[0].get("warc_filename") or "")
            if folder is None:
                result.problems.append(f"{line.get('id')}: its capture is in no job folder of {archive_dir}")
                continue
            by_folder[folder].append(line)
    return by_folder


def _read_lines(path: Path) -> Iterable[dict[str, Any]]:
    with path.open("rb") as fh:
        for raw in fh:
            yield json.loads(raw)


def _crawl_order(by_folder: dict[Path, list[dict[str, Any]]]) -> list[Path]:
    """Job folders in the order they were crawled: by their first capture, folders without lines last."""
    def first(folder: Path) -> tuple[int, str, str]:
        times = [line.get("fetched_at") or "" for line in by_folder[folder]]
        earliest = min((_time(t) for t in times if t), default=None)
        return (earliest is None, earliest.isoformat() if earliest else "", folder.name)

    return sorted(by_folder, key=first)


def _by_time(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(lines, key=lambda line: (_sortable(line.get("fetched_at")), line.get("id") or ""))


def _latest(captures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in captures:
        by_article[line["id"]].append(line)
    merged = [merge_captures(_by_time(lines)) for lines in by_article.values()]
    return sorted(merged, key=lambda line: (_sortable(line.get("first_seen")), line["id"]))


def _is_warc(path: Path) -> bool:
    return path.is_file() and path.name.endswith(_WARC_SUFFIXES)


def _time(text: str | None) -> datetime | None:
    try:
        return _utc(datetime.fromisoformat(text)) if text else None
    except ValueError:
        return None


def _sortable(text: str | None) -> str:
    when = _time(text)
    return when.isoformat() if when else ""


def _utc(when: datetime | None) -> datetime | None:
    if when is None:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return parts.netloc or None

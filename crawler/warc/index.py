"""``newsarchive warc index``: a sorted CDXJ index of WARC files, written by cdxj-indexer.

CDXJ is what pywb and other replay tools read: one line per capture
(response, revisit, resource), keyed by SURT URL and timestamp, with the
base name of the WARC file and the offset and length of the record in it.
A file that cannot be read to its end keeps the lines of the records before
the fault, and is named in the report.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from cdxj_indexer.main import CDXJIndexer
from warcio.exceptions import ArchiveLoadFailed

from crawler.domain.outputs import OutputError, atomic_output, check_output
from crawler.warc.reader import GZIP_CUT, NOT_READABLE, RECORD_CUT, WARC_SUFFIXES, Damage, scan_warc, warc_paths


@dataclass
class IndexReport:
    """Which files were indexed, and which could not be read to their end (with why)."""

    indexed: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.indexed) and not self.failed


class _ReportingIndexer(CDXJIndexer):
    """cdxj-indexer that notes an unreadable file and goes on with the next one."""

    def __init__(self, report: IndexReport, **kwargs: Any):
        super().__init__(**kwargs)
        self.report = report

    def process_one(self, input_: Any, output: Any, filename: str) -> None:
        try:
            super().process_one(input_, output, filename)
        except (ArchiveLoadFailed, EOFError, ValueError) as e:
            reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            self.report.failed.append((Path(filename), reason))
            return
        # cdxj-indexer (warcio) indexes a record cut off mid-gzip-member as if it were whole.
        cut = _first_cut(Path(filename))
        if cut is not None:
            self.report.failed.append((Path(filename), cut))
        else:
            self.report.indexed.append(Path(filename))


def _first_cut(path: Path) -> str | None:
    """Where *path* is cut off or unreadable, as ``offset N: what``; None when it reads to its end."""
    for event in scan_warc(path):
        if isinstance(event, Damage) and event.kind in (GZIP_CUT, RECORD_CUT, NOT_READABLE):
            return f"offset {event.problem.offset}: {event.problem.message}"
    return None


def index_warcs(
    paths: list[str | os.PathLike[str]], output: str | os.PathLike[str] | TextIO | None = None
) -> IndexReport:
    """Write the sorted CDXJ index of the WARC files in *paths* (files or folders) to *output*.

    *output* is a file path, an open text file, or ``None`` for stdout.
    Unfinished ``.open`` files are indexed too when named or found. A file
    path that is one of the inputs is refused (:class:`~crawler.domain.outputs.OutputError`),
    and is written only once the index is complete (an earlier index stays until then).
    """
    report = IndexReport()
    files = []
    for path in warc_paths(paths):
        if path.is_file():
            files.append(str(path))
        else:
            report.failed.append((path, "no such file"))
    if isinstance(output, (str, os.PathLike)):
        check_output(output, [*paths, *files], WARC_SUFFIXES)
    if not files:
        return report
    if isinstance(output, (str, os.PathLike)):
        with atomic_output(output, "w", encoding="utf-8") as fh:
            _ReportingIndexer(report, output=fh, inputs=files, sort=True).process_all()
    else:
        _ReportingIndexer(report, output=output, inputs=files, sort=True).process_all()
    return report


def run_index(
    paths: list[str | os.PathLike[str]], output: str | os.PathLike[str] | None = None, err: TextIO = sys.stderr
) -> int:
    """``newsarchive warc index PATH... [-o OUT]``: index, name unreadable files on *err*, return the exit status.

    An output that is one of the inputs raises :class:`~crawler.domain.outputs.OutputError` before anything is written.
    """
    report = index_warcs(paths, output)
    for path, reason in report.failed:
        print(f"{path}: not indexed to its end: {reason}", file=err)
    if not report.indexed and not report.failed:
        print("no WARC files found", file=err)
    return 0 if report.ok else 1

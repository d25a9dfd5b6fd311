"""``newsarchive warc index``: a sorted CDXJ index of WARC files, written by cdxj-indexer.

CDXJ is what pywb and other replay tools read: one line per capture
(response, revisit, resource), keyed by SURT URL and timestamp, with the
base name of the WARC file and the offset and length of the record in it.
A file that cannot be read to its end keeps the lines of the records before
the fault, and is named in the report. ARC files are indexed as warcio reads
them; the WARC files of a WACZ package (:mod:`crawler.warc.inputs`) are
indexed under their own names, as the package's index names them.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from cdxj_indexer.main import CDXJIndexer
from warcio.exceptions import ArchiveLoadFailed

from crawler.domain.outputs import atomic_output, check_output
from crawler.warc.inputs import open_inputs
from crawler.warc.reader import (
    ARCHIVE_SUFFIXES,
    BAD_LENGTH,
    GZIP_CUT,
    NOT_READABLE,
    RECORD_CUT,
    Damage,
    scan_warc,
    unreadable_reason,
)


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

    # Our own copy of cdxj-indexer's default record types: the wacz package appends "warcinfo" to the
    # base class's list when it is imported, which would index warcinfo records as captures.
    DEFAULT_RECORDS = ["response", "revisit", "resource", "metadata"]

    def __init__(self, report: IndexReport, **kwargs: Any):
        super().__init__(**kwargs)
        self.report = report

    def process_one(self, input_: Any, output: Any, filename: str) -> None:
        try:
            super().process_one(input_, output, filename)
        except (ArchiveLoadFailed, EOFError, ValueError) as e:
            self.report.failed.append((Path(filename), _first_cut(Path(filename)) or unreadable_reason(e)))
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
        if isinstance(event, Damage) and event.kind in (GZIP_CUT, RECORD_CUT, NOT_READABLE, BAD_LENGTH):
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
    with open_inputs(paths) as inputs:
        files = []
        for path in inputs.files:
            if path.is_file():
                files.append(str(path))
            else:
                report.failed.append((path, "no such file"))
        report.failed += [(problem.path, problem.message) for problem in inputs.problems]
        if isinstance(output, (str, os.PathLike)):
            check_output(output, [*paths, *(inputs.shown(Path(f)) for f in files)], ARCHIVE_SUFFIXES)
        if files:
            if isinstance(output, (str, os.PathLike)):
                with atomic_output(output, "w", encoding="utf-8") as fh:
                    _ReportingIndexer(report, output=fh, inputs=files, sort=True).process_all()
            else:
                _ReportingIndexer(report, output=output, inputs=files, sort=True).process_all()
        report.indexed = [inputs.shown(path) for path in report.indexed]
        report.failed = [(inputs.shown(path), reason) for path, reason in report.failed]
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

"""Read every record of a WARC file, however damaged: the one reader behind ``warc check`` and reprocessing.

warcio parses the records and verifies block and payload digests (as
``warcio check`` does). On top of that this module catches what warcio lets
through: a gzip member cut off by a killed crawl (:mod:`crawler.warc.members`),
a record whose block is shorter than its Content-Length, a block not followed
by CRLF CRLF (a wrong Content-Length), garbage between records, several
records in one gzip member, and a revisit's block digest (warcio skips
revisits). Each problem comes with the offset an archivist would pass to
``warcio extract`` (the record's, or its gzip member's); reading goes on after
a fault wherever the next record can be found: at the next gzip member, or at
the next ``WARC/`` line, looked for from inside a record whose block overran
its end (so a record swallowed by its neighbour's wrong Content-Length is
still read).

A record whose block is bigger than the record-size limit (:mod:`crawler.warc.sizes`,
256 MiB unless the caller sets another) is not read: it is counted, reported with its
size (:data:`TOO_BIG`), and reading goes on after it, so a hostile or absurd
record costs neither memory nor the records around it. In a gzip member its
data is only decompressed to find the member's end; in an uncompressed file
it is skipped by its Content-Length (or, where that runs past the end of the
file, from the next ``WARC/`` line).

:func:`scan_warc` walks a whole file and yields each record
(:class:`ScannedRecord`: where it is, its WARC and HTTP headers, whether its
digests verified) and each problem (:class:`Damage`), in file order.
:mod:`crawler.warc.extract` reads one record back from its offset.
"""

from __future__ import annotations

import ast
import base64
import glob
import hashlib
import io
import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import redirect_stderr
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord, ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParserException

from crawler.warc.formats import ARC, WARC, UnsupportedFormat, archive_format
from crawler.warc.members import Member, iter_members
from crawler.warc.sizes import RECORD_LIMIT, declared_length, too_big
from crawler.warc.writer import OPEN_SUFFIX

WARC_SUFFIXES = (".warc", ".warc.gz", ".warc" + OPEN_SUFFIX, ".warc.gz" + OPEN_SUFFIX)
# Files a folder is searched for: WARC and ARC files, and WACZ packages (see crawler.warc.inputs).
ARCHIVE_SUFFIXES = (*WARC_SUFFIXES, ".arc", ".arc.gz", ".wacz")
_RECORD_END = b"\r\n\r\n"
_ARC_RECORD_END = b"\n"  # an ARC record's block is followed by one LF
_WARCINFO_LIMIT = 1 << 20
_GLOB_CHARACTERS = frozenset("*?[")
_SNIFF_BYTES = 1 << 16  # a WARC record (or an ARC file header) starts within this much of a file

logger = logging.getLogger(__name__)
_loader = ArcWarcRecordLoader()

# Digest outcomes of a record.
VERIFIED = "verified"
FAILED = "failed"
ABSENT = "absent"
UNCHECKED = "unchecked"  # the record is cut off: there is nothing whole to check

# Kinds of damage: bytes that are no record, a record that cannot be trusted, or a quirk of a sound record.
NOT_READABLE = "not readable"  # cannot read the file, or bytes where no record can be read
GZIP_CUT = "gzip member cut off"
GZIP_SHARED = "records share a gzip member"
RECORD_CUT = "record cut off"
DIGEST_FAILED = "digest failed"
FRAMING = "wrong framing"
BAD_LENGTH = "no usable length"  # a record whose Content-Length is no byte count: its block cannot be delimited
TOO_BIG = "record too big"  # a record bigger than the record-size limit: counted, not read


@dataclass(frozen=True)
class Problem:
    """Something wrong at *offset* (of the record or gzip member; ``None``: the file as a whole)."""

    offset: int | None
    message: str


@dataclass(eq=False)
class ScannedRecord:
    """One record as read: where it lies, its header fields, and whether it is whole and verified.

    ``offset`` is where to seek in the file: the record's gzip member, or the
    record itself in an uncompressed file. ``length`` is the bytes it takes
    from there; ``None`` when its gzip member holds other records too (then
    ``position`` is where it starts in the member's decompressed data).
    ``damaged`` (cut off, or a digest fails) is known when the record is
    yielded, and its :class:`Damage` follows; ``framing_ok`` is not: in an
    uncompressed file a framing fault is found, and reported, after the
    records that follow it.
    """

    offset: int
    length: int | None
    position: int
    headers: StatusAndHeaders
    http_headers: StatusAndHeaders | None
    block_length: int
    warcinfo: bytes = b""  # the block of a warcinfo record (up to 1 MiB)
    digest: str = ABSENT
    damaged: bool = False
    framing_ok: bool = True
    arc: bool = False  # read from an ARC file (its WARC header fields are warcio's conversion)

    @property
    def rec_type(self) -> str:
        return self.headers.get_header("WARC-Type") or ""

    @property
    def label(self) -> str:
        """``type <record id> URI``, as problems name a record."""
        fields = (self.rec_type, self.headers.get_header("WARC-Record-ID"), self.headers.get_header("WARC-Target-URI"))
        return " ".join(filter(None, fields))


@dataclass(frozen=True)
class Damage:
    """A problem met while reading: its kind, and the record it spoils (``None``: bytes that are no record)."""

    problem: Problem
    kind: str
    record: ScannedRecord | None = None


@dataclass(frozen=True)
class _Resume:
    """In an uncompressed file: a record was not read to its end; reading goes on after it (see :func:`_resume_after`).

    *block* is where its block starts; *end* where its Content-Length says the block ends (``None``: past the
    end of the file).
    """

    block: int
    end: int | None


@dataclass
class _Framing:
    """Where a record's block ends, for the CRLF CRLF check made after reading on."""

    record: ScannedRecord
    start_of_block: int
    where: int

    @property
    def end_of_block(self) -> int:
        return self.start_of_block + self.record.block_length


def warc_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The given files, the archive files inside given folders, and glob matches.

    In a folder: WARC files (``.warc``, ``.warc.gz``, ``….open``), ARC files
    (``.arc``, ``.arc.gz``) and WACZ packages (``.wacz``).

    A path that does not exist but holds ``*``, ``?`` or ``[`` is a glob
    pattern (``**`` crosses folders); a pattern that matches nothing is kept
    as given, so it is reported as missing.
    """
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(ARCHIVE_SUFFIXES))
        elif not path.exists() and _GLOB_CHARACTERS & set(str(path)):
            matches = sorted(Path(p) for p in glob.glob(str(path), recursive=True))
            found += warc_paths(matches) if matches else [path]
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def scan_warc(path: Path, record_limit: int | None = RECORD_LIMIT) -> Iterator[ScannedRecord | Damage]:
    """Every record and every problem of the WARC or ARC file *path*, gzip-per-record or uncompressed, in file order.

    ARC records come with WARC header fields (warcio's conversion) and no record id, which ARC files do not have.
    A record whose block is bigger than *record_limit* bytes (``None``: no limit) is not read (see the module
    docstring).
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
            fh.seek(0)
            try:
                kind, gzipped = archive_format(head)
            except UnsupportedFormat as e:
                # Reading on would take random text for records (warcio even parses some as ARC headers).
                yield Damage(Problem(0, str(e)), NOT_READABLE)
                return
            if kind not in (WARC, ARC):
                yield Damage(Problem(0, "a ZIP file: only a WACZ package's WARC files can be read"), NOT_READABLE)
            elif gzipped:
                yield from _scan_gzip(fh, kind == ARC, record_limit)
            else:
                yield from _scan_uncompressed(fh, kind == ARC, record_limit)
    except OSError as e:
        yield Damage(Problem(None, f"cannot read the file: {e.strerror or e}"), NOT_READABLE)


def _scan_gzip(fh: IO[bytes], arc: bool, limit: int | None) -> Iterator[ScannedRecord | Damage]:
    oversized = None if limit is None else (lambda head: declared_length(head, arc) > limit)
    for member in iter_members(fh, oversized):
        with member.data:
            if member.dropped:
                events: list[ScannedRecord | Damage | _Framing | _Resume] = list(_dropped(member, arc, limit))
            else:
                events = list(_read_run(member.data, member.offset, arc, limit))
            records = [event for event in events if isinstance(event, ScannedRecord)]
            if member.error:
                kind = GZIP_CUT if member.error.startswith("gzip member cut off") else NOT_READABLE
                events.append(Damage(Problem(member.offset, member.error), kind))
            elif len(records) > 1:
                message = f"gzip member holds {len(records)} records (one record per member expected)"
                events.append(Damage(Problem(member.offset, message), GZIP_SHARED))
            elif not records:
                events.append(Damage(Problem(member.offset, f"gzip member holds no {'ARC' if arc else 'WARC'} record"),
                                     NOT_READABLE))
            if len(records) == 1:
                records[0].length = member.length
            framings = [event for event in events if isinstance(event, _Framing)]
            checked = list(_check_framing(member.data, framings))
            yield from (event for event in events if isinstance(event, ScannedRecord | Damage))
            yield from checked


def _scan_uncompressed(fh: IO[bytes], arc: bool, limit: int | None) -> Iterator[ScannedRecord | Damage]:
    start: int | None = 0
    while start is not None:
        fh.seek(start)
        framings: list[_Framing] = []
        failed_at: int | None = None
        resume: _Resume | None = None
        for event in _read_run(fh, None, arc, limit):
            if isinstance(event, _Framing):
                framings.append(event)
                continue
            if isinstance(event, _Resume):
                resume = event  # the run ends here: the record before was not read to its end
                break
            if isinstance(event, Damage) and event.kind == NOT_READABLE:
                failed_at = event.problem.offset
            yield event
        yield from _check_framing(fh, framings)
        if resume is not None:
            start = _resume_after(fh, resume, arc)
        else:
            # An ARC record has no marker line to look for: reading ends at the fault.
            start = None if failed_at is None or arc else _next_record_start(fh, _resume_point(failed_at, framings))


def _resume_after(fh: IO[bytes], resume: _Resume, arc: bool) -> int | None:
    """Where reading goes on after a record that was not read to its end.

    Where its Content-Length says it ends, if its block is followed there by
    what follows a block (CRLF CRLF, or an ARC record's LF); else at the next
    line that starts a WARC record after the start of its block (a cut or
    overrun record may have swallowed the records after it).
    """
    ending = _ARC_RECORD_END if arc else _RECORD_END
    if resume.end is not None and resume.end + len(ending) <= fh.seek(0, io.SEEK_END):
        fh.seek(resume.end)
        if fh.read(len(ending)) == ending:
            return resume.end + len(ending)
    return None if arc else _next_record_start(fh, resume.block)


def _resume_point(failed_at: int, framings: list[_Framing]) -> int:
    """Where to look for the next record: inside the last block if it overran its end, else past the fault."""
    if framings and not framings[-1].record.framing_ok:
        return min(failed_at, framings[-1].start_of_block)
    return failed_at


def _next_record_start(fh: IO[bytes], after: int) -> int | None:
    """Where the next line starting a WARC record begins after *after*; None if there is none."""
    marker = b"\nWARC/1."
    fh.seek(after + 1)
    window_start, window = after + 1, b""
    while chunk := fh.read(1 << 20):
        window += chunk
        found = window.find(marker)
        if found >= 0:
            return window_start + found + 1
        keep = len(marker) - 1  # a marker may straddle two chunks
        window_start += len(window) - keep
        window = window[-keep:]
    return None


def _read_run(stream: IO[bytes], member_offset: int | None, arc: bool = False, limit: int | None = None
              ) -> Iterator[ScannedRecord | Damage | _Framing | _Resume]:
    """The records warcio reads from *stream* until it ends or fails, each followed by its problems.

    In an uncompressed file (no *member_offset*), a record that was not read
    to its end (too big, cut off) ends the run with a :class:`_Resume`: warcio
    would read on from wherever it stopped.
    """
    iterator = ArchiveIterator(stream, check_digests=True, arc2warc=arc)
    records = iter(iterator)
    while True:
        try:
            # warcio prints its own framing warnings to stderr; the framing check reports them. The
            # redirection must not be active across a yield, where the caller's code would run under it.
            with redirect_stderr(io.StringIO()):
                record = next(records, None)
                if record is None:
                    return
                events = list(_scanned(record, iterator, stream, member_offset, arc, limit))
        except Exception as e:  # warcio parsing arbitrary bytes can fail in any way; each is damage, not a crash
            offset = member_offset if member_offset is not None else iterator.offset
            yield Damage(Problem(offset, f"unreadable: {unreadable_reason(e, arc)}"), NOT_READABLE)
            return
        yield from events
        if member_offset is None and any(isinstance(event, _Resume) for event in events):
            return


def unreadable_reason(error: Exception, arc: bool = False) -> str:
    """Why the bytes at hand are no record, in plain words (a parser's internals are for the debug log)."""
    logger.debug("record parser failed: %r", error)
    kind = "ARC" if arc else "WARC"
    first_line = (str(error).strip().splitlines() or [""])[0]
    if "non-chunked gzip" in first_line:
        return ("the file is one gzip stream, not a gzip member per record: records cannot be addressed by offset "
                "(warcio recompress makes it right)")
    if isinstance(error, ArchiveLoadFailed) and ":" in first_line:
        found = first_line.split(":", 1)[1].strip()
        if found.startswith("["):  # warcio shows the line split into words, as a list
            try:
                found = " ".join(map(str, ast.literal_eval(found)))
            except (ValueError, SyntaxError):
                pass
        return f"no {kind} record starts here (the line there is {found[:80]!r})"
    if isinstance(error, StatusAndHeadersParserException):
        return f"the {kind} record header cannot be read"
    if isinstance(error, EOFError):
        return f"the file ends inside a {kind} record header"
    if isinstance(error, ArchiveLoadFailed | ValueError) and first_line and "object" not in first_line:
        return first_line
    return f"the {kind} record header lacks a field its record type needs, or has one that cannot be read"


def _scanned(
    record: ArcWarcRecord, iterator: ArchiveIterator, stream: IO[bytes], member_offset: int | None, arc: bool,
    limit: int | None,
) -> Iterator[ScannedRecord | Damage | _Framing | _Resume]:
    headers = record.rec_headers
    if arc:
        # warcio makes up a random record id for each ARC record: an id that changes at every read is none.
        headers.remove_header("WARC-Record-ID")
    length = record.length or 0  # warcio's: 0 when Content-Length is no byte count
    if arc:
        # The block as the ARC header line declares it; the record ends with one LF, which warcio leaves out.
        declared = headers.get_header("Content-Length") or ""
        length = int(declared) if declared.isdigit() else 0
    over_limit = limit is not None and length > limit
    warcinfo = b"" if over_limit else _drain(record)
    offset = iterator.get_record_offset()
    start_of_block = offset + headers.total_len
    if over_limit and arc and member_offset is None:
        # warcio gives an ARC record's header no length; it is one line. (The run ends with this record.)
        stream.seek(offset)
        start_of_block = offset + len(stream.readline(_SNIFF_BYTES))
    if over_limit:
        whole = start_of_block - offset + length + len(_ARC_RECORD_END if arc else _RECORD_END)
    elif arc:
        whole = iterator.get_record_length() + len(_ARC_RECORD_END)
    else:
        whole = headers.total_len + length + len(_RECORD_END)
    scanned = ScannedRecord(
        offset=member_offset if member_offset is not None else offset,
        length=None if member_offset is not None else whole,
        position=offset if member_offset is not None else 0,
        headers=headers,
        http_headers=record.http_headers,
        block_length=length,
        warcinfo=warcinfo,
        arc=arc,
    )
    if over_limit:
        assert limit is not None
        yield scanned
        yield _too_big(scanned, limit)
        if member_offset is None:
            yield _Resume(start_of_block, start_of_block + length)
        return
    damage = _bad_length(scanned, arc) or _check_digests(record, scanned, stream, start_of_block)
    yield scanned
    if damage is not None:
        yield damage
    if member_offset is None and damage is not None and damage.kind == RECORD_CUT:
        # Its Content-Length ran past the end of the file: the records it swallowed are looked for in its block.
        yield _Resume(start_of_block, None)
        return
    # An ARC record's framing is warcio's to find (it passes over the blank lines after a block).
    if scanned.digest != UNCHECKED and not arc:
        yield _Framing(scanned, start_of_block, scanned.offset)


def _too_big(scanned: ScannedRecord, limit: int) -> Damage:
    """The damage of a record bigger than the record-size limit: not read, so its digests are unchecked."""
    scanned.digest, scanned.damaged = UNCHECKED, True
    message = f"{too_big(scanned.label, scanned.block_length, limit)}, its digests unchecked"
    return Damage(Problem(scanned.offset, message), TOO_BIG, scanned)


def _dropped(member: Member, arc: bool, limit: int | None) -> Iterator[ScannedRecord | Damage]:
    """The record of a gzip member whose data was dropped as too big, read from the member's first bytes."""
    assert limit is not None
    head = member.data.read()
    record = None
    for http in (True, False):  # with its HTTP head if that can be read from the first bytes, else without
        try:
            record = _loader.parse_record_stream(io.BytesIO(head), known_format=None if arc else "warc",
                                                 no_record_parse=not http)
            break
        except Exception as e:  # noqa: BLE001 -- parsing arbitrary bytes can fail in any way; each is damage
            error = e
    if record is None:
        yield Damage(Problem(member.offset, f"unreadable: {unreadable_reason(error, arc)}"), NOT_READABLE)
        return
    headers = record.rec_headers
    if arc:
        headers.remove_header("WARC-Record-ID")
    declared = headers.get_header("Content-Length") or ""
    scanned = ScannedRecord(offset=member.offset, length=member.length, position=0, headers=headers,
                            http_headers=record.http_headers, block_length=int(declared) if declared.isdigit() else 0,
                            arc=arc)
    yield scanned
    yield _too_big(scanned, limit)


def _bad_length(scanned: ScannedRecord, arc: bool) -> Damage | None:
    """The damage of a record whose length field is no byte count (its block cannot be told from what follows)."""
    declared = scanned.headers.get_header("Content-Length") or ""
    if declared.isdigit():
        return None
    scanned.digest, scanned.damaged = UNCHECKED, True
    field_name = "length field" if arc else "Content-Length"
    message = (f"the record's {field_name} is {declared!r}, not a byte count: its block cannot be delimited: "
               f"{scanned.label}" if declared else f"the record has no {field_name}: {scanned.label}")
    return Damage(Problem(scanned.offset, message), BAD_LENGTH, scanned)


def _check_digests(
    record: ArcWarcRecord, scanned: ScannedRecord, stream: IO[bytes], start_of_block: int
) -> Damage | None:
    """Set *scanned*'s digest outcome; the damage if it is cut off or a digest fails."""
    missing = getattr(record.raw_stream, "limit", 0)
    expected = scanned.headers.get_header("WARC-Block-Digest") or ""
    if missing:
        scanned.digest, scanned.damaged = UNCHECKED, True
        length = scanned.block_length
        message = f"record cut off: {scanned.label} has {max(0, length - missing)} of {length} block bytes"
        return Damage(Problem(scanned.offset, message), RECORD_CUT, scanned)
    if scanned.rec_type == "revisit" and expected.lower().startswith("sha1:"):
        # warcio does not check revisits; their block (an HTTP head) is read again and checked here.
        # The iterator reads ahead through its own buffer, so the stream's position is put back afterwards.
        resume = stream.tell()
        stream.seek(start_of_block)
        block = stream.read(scanned.block_length)
        stream.seek(resume)
        matches = sha1_matches(expected, block)
        if matches is not False:
            scanned.digest = VERIFIED if matches else ABSENT
            return None
        scanned.digest, scanned.damaged = FAILED, True
        return Damage(Problem(scanned.offset, f"block digest failed: {expected}: {scanned.label}"), DIGEST_FAILED,
                      scanned)
    if record.digest_checker.passed is False:
        scanned.digest, scanned.damaged = FAILED, True
        message = f"{'; '.join(record.digest_checker.problems)}: {scanned.label}"
        return Damage(Problem(scanned.offset, message), DIGEST_FAILED, scanned)
    if record.digest_checker.passed:
        scanned.digest = VERIFIED
    return None


def _drain(record: ArcWarcRecord) -> bytes:
    """Read the rest of *record*'s block (so its digests are checked); a warcinfo block is kept."""
    keep = record.rec_type == "warcinfo"
    kept = b""
    while chunk := record.raw_stream.read(1 << 20):
        if keep and len(kept) < _WARCINFO_LIMIT:
            kept += chunk
    return kept


def _check_framing(stream: IO[bytes], framings: list[_Framing]) -> Iterator[Damage]:
    """Per record: the block ends with CRLF CRLF where Content-Length says."""
    for framing in framings:
        stream.seek(framing.end_of_block)
        if stream.read(len(_RECORD_END)) != _RECORD_END:
            framing.record.framing_ok = False
            message = f"block not followed by CRLF CRLF (wrong Content-Length?): {framing.record.label}"
            yield Damage(Problem(framing.where, message), FRAMING, framing.record)


def sha1_matches(expected: str, data: bytes) -> bool | None:
    """Whether *data* has the ``sha1:`` digest *expected* (base32, hex or base64, as tools write it).

    ``None`` when *expected* is no SHA-1 digest in a known encoding: nothing to check.
    """
    algorithm, _, value = expected.strip().partition(":")
    if algorithm.lower() != "sha1" or not value:
        return None
    digest = hashlib.sha1(data).digest()
    encodings = {32: lambda: base64.b32encode(digest).decode(), 40: digest.hex,
                 28: lambda: base64.b64encode(digest).decode()}
    encode = encodings.get(len(value))
    if encode is None:
        return None
    expected_value, actual = (value.upper(), encode().upper()) if len(value) != 28 else (value, encode())
    return expected_value == actual

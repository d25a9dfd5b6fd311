"""From the records of one WARC file to the captures reprocessing can answer requests with.

A capture is an archived HTTP response: a ``response`` record, a ``revisit``
record (its payload is another record's), or a ``resource`` record of an
http(s) URL (served as a 200 with the record's Content-Type, as replay tools
do). Each capture belongs to a crawl: the key of the ``warcinfo`` record it
names (or the last one before it in its file), or its file when there is
none; :mod:`crawler.reprocess.index` turns keys into crawl names. Whatever
cannot be used is a :class:`ReadProblem` with the file and offset: damage
the reader found (``unreadable`` when bytes were lost, so the run's exit
status says so), and records that are not HTTP captures (``dns:`` records,
a response block that is no HTTP message), which are noted and skipped.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urldefrag, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, safe_url_string

from crawler.warc.reader import (
    FRAMING,
    GZIP_SHARED,
    VERIFIED,
    Damage,
    ScannedRecord,
)

logger = logging.getLogger(__name__)

CAPTURE_TYPES = ("response", "revisit", "resource")
_HTTP_SCHEMES = ("http:", "https:")
# Damage after which the bytes are still read and used: the run notes it but does not fail.
_NOTICES = (FRAMING, GZIP_SHARED)


@dataclass(frozen=True)
class ReadProblem:
    """Something in the input that could not be used: where (file, offset of record or gzip member) and what.

    ``unreadable``: bytes were lost (the run's exit status is 1); otherwise
    the input was read and the problem is a note (a non-HTTP record skipped,
    records that cannot be addressed one by one, a framing quirk).
    """

    path: Path
    offset: int | None
    message: str
    unreadable: bool = True

    def __str__(self) -> str:
        where = f"offset {self.offset}" if self.offset is not None else "file"
        return f"{self.path}: {where}: {self.message}"


@dataclass(slots=True)
class Capture:
    """One archived response that can answer a request, and where its record lies."""

    url: str  # as the record has it
    key: str  # the URL as a Scrapy request for it has it (see url_key): what the index looks it up by
    kind: str  # response, revisit or resource
    status: int | None  # None: a revisit without an HTTP head, until its original is known
    mime: str | None
    location: str | None
    date: datetime
    record_id: str | None
    digest: str | None
    refers_to: str | None
    refers_to_url: str | None
    refers_to_date: str | None
    group: str
    file: int
    offset: int
    length: int | None
    position: int
    method: str = "GET"
    # How far the record can be trusted: 2 its digests verified, 1 none to check, 0 its framing is wrong.
    quality: int = 1

    @property
    def order(self) -> tuple[int, int, int]:
        """Archive order: input file, then place in it."""
        return (self.file, self.offset, self.position)


@dataclass(frozen=True)
class CrawlInfo:
    """What a ``warcinfo`` record says about the crawl behind the records that name it."""

    key: str
    part_of: str | None
    spider: str | None
    file: int


@dataclass
class FileScan:
    """Everything one WARC file gave: captures, crawls, problems and a count of records."""

    file: int
    captures: list[Capture] = field(default_factory=list)
    crawls: list[CrawlInfo] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)
    records: int = 0


def problem_of(path: Path, damage: Damage, sharing: Counter[int]) -> ReadProblem:
    problem = damage.problem
    if damage.kind == GZIP_SHARED and problem.offset is not None:
        # The records of a gzip member come before its problems, so they are all counted by now.
        message = (f"gzip member holds {sharing[problem.offset]} records: all read, but they cannot be addressed "
                   "record by record (their sources give no offset)")
        return ReadProblem(path, problem.offset, message, unreadable=False)
    return ReadProblem(path, problem.offset, problem.message, unreadable=damage.kind not in _NOTICES)


def crawl_info_of(record: ScannedRecord, file: int) -> CrawlInfo:
    fields: dict[str, str] = {}
    for line in record.warcinfo.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields.setdefault(name.strip(), value.strip())
    key = f"warcinfo:{record.headers.get_header('WARC-Record-ID')}"
    return CrawlInfo(key, fields.get("isPartOf") or None, fields.get("spider") or None, file)


def note_method(record: ScannedRecord, methods: dict[str, str]) -> None:
    if record.http_headers is None:
        return
    method = record.http_headers.protocol.upper()
    for linked in (record.headers.get_header("WARC-Concurrent-To"), record.headers.get_header("WARC-Record-ID")):
        if linked:
            methods[linked] = method


def capture_of(record: ScannedRecord, file: int, path: Path, warcinfo: str | None, scan: FileScan) -> Capture | None:
    headers = record.headers
    url = (headers.get_header("WARC-Target-URI") or "").strip()
    if not url.lower().startswith(_HTTP_SCHEMES):
        if record.rec_type != "resource":  # a tool's own resources (logs, manifests) are no captures, nor faults
            scan.problems.append(ReadProblem(path, record.offset, f"not an HTTP response, skipped: {record.label}",
                                             unreadable=False))
        return None
    date = warc_date(headers.get_header("WARC-Date"))
    if date is None:
        scan.problems.append(ReadProblem(path, record.offset, f"no readable WARC-Date, skipped: {record.label}"))
        return None
    status, mime, location = _http_fields(record)
    if status is None and record.rec_type != "revisit":
        scan.problems.append(ReadProblem(path, record.offset, f"not an HTTP response, skipped: {record.label}",
                                         unreadable=False))
        return None
    try:
        key = url_key(url)
    except ValueError as e:  # e.g. a port that is no number: no request can ever ask for this URL
        scan.problems.append(ReadProblem(path, record.offset, f"unusable WARC-Target-URI ({e}), skipped: "
                                                              f"{record.label}"))
        return None
    return Capture(
        url=url,
        key=key,
        kind=record.rec_type,
        status=status,
        mime=mime,
        location=location,
        date=date,
        record_id=headers.get_header("WARC-Record-ID"),
        digest=headers.get_header("WARC-Payload-Digest"),
        refers_to=headers.get_header("WARC-Refers-To"),
        refers_to_url=headers.get_header("WARC-Refers-To-Target-URI"),
        refers_to_date=headers.get_header("WARC-Refers-To-Date"),
        group=group_key(warcinfo, path),
        file=file,
        offset=record.offset,
        length=record.length,
        position=record.position,
        quality=2 if record.digest == VERIFIED else 1 if record.framing_ok else 0,
    )


def group_key(warcinfo: str | None, path: Path) -> str:
    """A capture's group key: its warcinfo record's, else its file's."""
    return f"warcinfo:{warcinfo}" if warcinfo else f"file:{path.name}"


def _http_fields(record: ScannedRecord) -> tuple[int | None, str | None, str | None]:
    """Status, media type and Location of a capture; no status when its block is no HTTP response."""
    if record.rec_type == "resource":
        return 200, media_type(record.headers.get_header("Content-Type")), None
    http = record.http_headers
    if http is None or not http.protocol.upper().startswith("HTTP/"):
        return None, None, None
    code = http.get_statuscode()
    if not (code.isdigit() and len(code) == 3):
        return None, None, None
    return int(code), media_type(http.get_header("Content-Type")), http.get_header("Location")


def url_key(url: str) -> str:
    """*url* as Scrapy requests it: escaped, host lower-cased, a path even if empty, no fragment.

    Tools write target URIs as they met them; a request for one comes back
    normalized, so captures are looked up by this form.
    """
    return safe_url_string(urldefrag(url.strip())[0])


_DEFAULT_PORTS = {"http": 80, "https": 443}


def loose_key(url: str) -> str:
    """*url* up to what tools and servers treat as the same resource.

    Scheme and host case, a default port, percent-encoding (and the order of
    query arguments), and a trailing slash make no difference: a redirect to
    ``/a/`` is answered by the capture of ``/a``.
    """
    try:
        parts = urlsplit(canonicalize_url(url.strip()))
        port = parts.port
    except ValueError:
        return url
    host = parts.hostname or ""
    netloc = host if port is None or _DEFAULT_PORTS.get(parts.scheme.lower()) == port else f"{host}:{port}"
    if "@" in parts.netloc:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    return urlunsplit((parts.scheme.lower(), netloc, parts.path.rstrip("/"), parts.query, ""))


def media_type(content_type: str | None) -> str | None:
    """``text/html`` from ``text/html; charset=utf-8``; None when there is none."""
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def warc_date(text: str | None) -> datetime | None:
    """A WARC-Date as an aware UTC datetime; None when there is none or it is unreadable."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)

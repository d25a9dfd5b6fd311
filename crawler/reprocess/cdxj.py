"""The capture index read from a CDXJ file (``newsarchive warc index``, cdxj-indexer, pywb) instead of a scan.

A CDXJ line is ``SURT timestamp {json}`` with the capture's URL, status, media
type (``warc/revisit`` for a revisit), payload digest, and the record's file
name, offset and length. What CDXJ leaves out is read from the WARCs, record
by record: the crawl of each file (its opening warcinfo record), the
``Location`` of each redirect, and, when a record is replayed, its id and
exact ``WARC-Date``. The records are not checked here: a record that turns
out unreadable when replayed is reported then. File names are matched by
base name against the WARC files given.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from pathlib import Path

from crawler.reprocess.captures import Capture, CrawlInfo, FileScan, ReadProblem, media_type, url_key
from crawler.reprocess.index import CaptureIndex
from crawler.reprocess.replay import NotAnHttpResponse, split_message
from crawler.warc.extract import RecordUnreadable, read_record
from crawler.warc.writer import OPEN_SUFFIX

logger = logging.getLogger(__name__)


class CdxjError(ValueError):
    """The CDXJ file cannot be read at all."""


def load_cdxj(path: Path, files: list[Path]) -> CaptureIndex:
    """The index of the captures *path* lists, in the WARC *files* given."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CdxjError(f"cannot read the CDXJ index {path}: {e}") from e
    numbers = {file.name.removesuffix(OPEN_SUFFIX): number for number, file in reversed(list(enumerate(files)))}
    scans = [FileScan(number) for number in range(len(files))]
    for number, file in enumerate(files):
        scans[number].crawls += _crawl_of(file, number)
    unknown: set[str] = set()
    problems: list[ReadProblem] = []
    for line_number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            capture = _capture(line, numbers)
        except (ValueError, KeyError, IndexError) as e:
            problems.append(ReadProblem(path, None, f"line {line_number}: not a CDXJ capture line ({e})"))
            continue
        if capture is None:
            name = json.loads(line.split(" ", 2)[2]).get("filename", "")
            if name not in unknown:
                unknown.add(name)
                problems.append(ReadProblem(path, None, f"line {line_number}: {name} is not among the WARC files given",
                                            unreadable=False))
            continue
        scan = scans[capture.file]
        crawl = scan.crawls[0].key if scan.crawls else f"file:{files[capture.file].name}"
        capture.group = crawl
        if capture.status is not None and 300 <= capture.status < 400:
            capture.location = _location(files[capture.file], capture, problems)
        scan.captures.append(capture)
        scan.records += 1
    index = CaptureIndex.from_scans(files, scans)
    index.problems = problems + index.problems
    return index


def _capture(line: str, numbers: dict[str, int]) -> Capture | None:
    _, timestamp, fields_text = line.split(" ", 2)
    fields = json.loads(fields_text)
    file = numbers.get(fields["filename"])
    if file is None:
        return None
    mime = fields.get("mime")
    revisit = mime == "warc/revisit"
    status = int(fields["status"]) if fields.get("status") else None
    return Capture(
        url=fields["url"],
        key=url_key(fields["url"]),
        kind="revisit" if revisit else "response" if status is not None else "resource",
        status=status if status is not None or revisit else 200,
        mime=None if revisit else media_type(mime),
        location=None,
        date=datetime.strptime(timestamp[:14].ljust(14, "0"), "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc),
        record_id=None,
        digest=fields.get("digest"),
        refers_to=None,
        refers_to_url=None,
        refers_to_date=None,
        group="",
        file=file,
        offset=int(fields["offset"]),
        length=int(fields["length"]),
        position=0,
        method=(fields.get("method") or "GET").upper(),
    )


def _crawl_of(file: Path, number: int) -> list[CrawlInfo]:
    """The crawl named by the warcinfo record that opens *file*, if it opens with one."""
    try:
        record = read_record(file, 0)
    except (RecordUnreadable, OSError):
        return []
    if record.headers.get_header("WARC-Type") != "warcinfo":
        return []
    fields = dict(line.partition(":")[::2] for line in record.block.decode("utf-8", "replace").splitlines())
    fields = {name.strip(): value.strip() for name, value in fields.items()}
    key = f"warcinfo:{record.headers.get_header('WARC-Record-ID')}"
    return [CrawlInfo(key, fields.get("isPartOf") or None, fields.get("spider") or None, number)]


def _location(file: Path, capture: Capture, problems: list[ReadProblem]) -> str | None:
    try:
        head, _ = split_message(read_record(file, capture.offset).block)
    except (RecordUnreadable, NotAnHttpResponse, OSError) as e:
        problems.append(ReadProblem(file, capture.offset, str(e)))
        return None
    location = head.get(b"location")
    return location.decode("latin-1") if location is not None else None

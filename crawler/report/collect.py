"""What a crawl report shows, gathered from an archive: its WARC records, its JSON Lines, its fetch times.

Captures come from the WARC files (every ``response`` and ``revisit``
record: when, status, media type, bytes), read with the reader ``warc
check`` uses, so a damaged file gives what it can and is named. Articles,
comments and warnings come from the ``items.jsonl`` of each job (or the
``newsarchive/items.jsonl`` of a WACZ package). How long each page took comes
from ``fetch-times.jsonl``, written beside them by the crawl
(:mod:`crawler.components.fetchtimes`: Scrapy's download latency, request sent
to response received); for archives without it, from the WARCs where the
writer stamped a request and its response with different times.
"""

from __future__ import annotations

import json
import logging
import re
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from crawler.warc.inputs import is_zip, open_inputs
from crawler.warc.reader import Damage, scan_warc

logger = logging.getLogger(__name__)

ITEMS = "items.jsonl"
FETCH_TIMES = "fetch-times.jsonl"
_WACZ_ITEMS = "newsarchive/items.jsonl"


@dataclass(frozen=True)
class CaptureRow:
    date: datetime
    url: str
    status: int | None
    mime: str
    bytes: int
    revisit: bool


@dataclass(frozen=True)
class Timing:
    url: str
    seconds: float
    status: int | None
    at: str


@dataclass
class ScoreTrack:
    """One comment's score in each capture of its article (capture time, score)."""

    article: str
    comment: str
    author: str | None
    points: list[tuple[datetime, int]] = field(default_factory=list)

    @property
    def movement(self) -> int:
        scores = [score for _, score in self.points]
        return max(scores) - min(scores) if scores else 0


@dataclass
class ReportData:
    sources: list[Path]
    captures: list[CaptureRow] = field(default_factory=list)
    articles: list[dict] = field(default_factory=list)
    timings: list[Timing] = field(default_factory=list)
    timing_source: str = ""
    problems: list[str] = field(default_factory=list)
    jobs: int = 0

    @property
    def comments(self) -> list[dict]:
        return [comment for article in self.articles for comment in article.get("comments") or []]

    def warnings_by_kind(self) -> Counter[str]:
        return Counter(warning_kind(w) for article in self.articles for w in article.get("warnings") or [])

    def score_tracks(self) -> list[ScoreTrack]:
        """Comments captured more than once (several crawls of their article), each with its scores."""
        tracks: dict[tuple[str, str], ScoreTrack] = {}
        for article in self.articles:
            when = _parse_time(article.get("fetched_at"))
            if when is None:
                continue
            for comment in article.get("comments") or []:
                if comment.get("score") is None or not comment.get("id"):
                    continue
                key = (str(article.get("id")), str(comment["id"]))
                track = tracks.setdefault(key, ScoreTrack(key[0], key[1], comment.get("author")))
                track.points.append((when, int(comment["score"])))
        found = [track for track in tracks.values() if len({when for when, _ in track.points}) > 1]
        for track in found:
            track.points.sort()
        return found


_DETAILS = re.compile(r"'[^']*'|\"[^\"]*\"|\(.*?\)|\b\d[\d.,:]*\b|https?://\S+")


def warning_kind(warning: str) -> str:
    """A warning without its particulars (quoted values, numbers, URLs), so warnings of one kind count together."""
    kind = _DETAILS.sub("…", warning)
    return re.sub(r"\s+", " ", kind).strip()[:90]


def collect(paths: list[Path]) -> ReportData:
    """Everything the report shows, from job folders, archive folders (jobs inside) and WACZ packages."""
    data = ReportData(paths)
    warc_timings: list[Timing] = []
    with open_inputs(paths) as inputs:
        data.problems += [str(problem) for problem in inputs.problems]
        for path in inputs.files:
            warc_timings += _read_captures(path, inputs.shown(path), data)
    for path in paths:
        _read_items(path, data)
    data.captures.sort(key=lambda row: row.date)
    if not data.timings and warc_timings:
        data.timings = warc_timings
        data.timing_source = "the WARC-Date of each request record and of its response"
    return data


def _read_captures(path: Path, shown: Path, data: ReportData) -> list[Timing]:
    """Add the file's captures to *data*; return request-to-response times where the writer stamped the two
    records apart (ours stamp both with the time the request was sent, so they give none)."""
    requests: dict[str, datetime] = {}
    responses: list[tuple[CaptureRow, str | None]] = []
    for event in scan_warc(path):
        if isinstance(event, Damage):
            if event.problem.offset is not None and event.record is None:
                data.problems.append(f"{shown}: offset {event.problem.offset}: {event.problem.message}")
            continue
        date = _parse_time(event.headers.get_header("WARC-Date"))
        if date is None:
            continue
        if event.rec_type == "request":
            requests[event.headers.get_header("WARC-Record-ID") or ""] = date
            continue
        http = event.http_headers
        if event.rec_type not in ("response", "revisit") or http is None or not http.protocol.startswith("HTTP/"):
            continue
        code = http.get_statuscode()
        mime = (http.get_header("Content-Type") or "").split(";", 1)[0].strip().lower() or "(none)"
        row = CaptureRow(date, event.headers.get_header("WARC-Target-URI") or "", int(code) if code.isdigit() else None,
                         mime, event.block_length, event.rec_type == "revisit")
        data.captures.append(row)
        responses.append((row, event.headers.get_header("WARC-Concurrent-To")))
    timings = []
    for row, request_id in responses:
        sent = requests.get(request_id or "")
        if sent is not None and row.date > sent:
            timings.append(Timing(row.url, (row.date - sent).total_seconds(), row.status, row.date.isoformat()))
    return timings


def _job_folders(path: Path) -> list[Path]:
    if (path / ITEMS).is_file() or any(path.glob("*.warc*")):
        return [path]
    return sorted(p for p in path.iterdir() if p.is_dir() and ((p / ITEMS).is_file() or any(p.glob("*.warc*"))))


def _read_items(path: Path, data: ReportData) -> None:
    if path.is_file() and is_zip(path):
        with zipfile.ZipFile(path) as package:
            if _WACZ_ITEMS in package.namelist():
                data.jobs += 1
                data.articles += _json_lines(package.read(_WACZ_ITEMS).decode("utf-8"), f"{path}/{_WACZ_ITEMS}", data)
        return
    if not path.is_dir():
        return
    for job in _job_folders(path):
        data.jobs += 1
        if (job / ITEMS).is_file():
            data.articles += _json_lines((job / ITEMS).read_text(encoding="utf-8"), str(job / ITEMS), data)
        if (job / FETCH_TIMES).is_file():
            for row in _json_lines((job / FETCH_TIMES).read_text(encoding="utf-8"), str(job / FETCH_TIMES), data):
                data.timings.append(Timing(row["url"], float(row["seconds"]), row.get("status"), row.get("at", "")))
            data.timing_source = f"{FETCH_TIMES} (Scrapy's download latency: request sent to response received)"


def _json_lines(text: str, name: str, data: ReportData) -> list[dict]:
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        try:
            rows.append(json.loads(line))
        except ValueError:
            data.problems.append(f"{name}: line {number} is not whole JSON (left out)")
    return rows


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def day_counts(rows: list[dict], field_name: str) -> Counter[str]:
    """How many *rows* fall on each UTC day of their *field_name* time."""
    counts: Counter[str] = Counter()
    for row in rows:
        if (when := _parse_time(row.get(field_name))) is not None:
            counts[when.date().isoformat()] += 1
    return counts


def per_minute(rows: list[CaptureRow]) -> dict[datetime, int]:
    buckets: dict[datetime, int] = defaultdict(int)
    for row in rows:
        buckets[row.date.replace(second=0, microsecond=0)] += 1
    return dict(sorted(buckets.items()))

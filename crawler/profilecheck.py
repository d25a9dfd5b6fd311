"""``newsarchive profile check``: what a site profile reads on given pages, field by field, and by which selector.

The tool to run when a site is redesigned: give it saved pages (HTML, or a
comment page's JSON), WARC files (every article capture in them) or live
URLs, and it runs the profile's page objects on each and prints, per field,
the value found and the source that found it, or everything it tried. The
exit status is 1 when a page lacked a field its site's pages should have.
"""

from __future__ import annotations

import gzip
import sys
import urllib.request
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from scrapy.http import Headers, Response, TextResponse
from scrapy.responsetypes import responsetypes
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from crawler.domain.items import missing_warning
from crawler.domain.provenance import Capture
from crawler.pages.dle import DleArticlePage, DleCommentsPage, DleListingPage, FieldReport
from crawler.profiles import SiteProfile, available_profiles, load_profile, profile_for_host
from crawler.reprocess.captures import warc_date
from crawler.runs.outcome import EXIT_FAILED, EXIT_OK, RunRefused
from crawler.warc.reader import WARC_SUFFIXES

_FETCH_SECONDS = 30
_SHOWN = 70  # characters of a value shown


@dataclass
class PageCheck:
    """What the profile read on one page."""

    where: str
    kind: str
    fields: list[FieldReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Page:
    where: str
    response: Response
    captured_at: datetime


def check_pages(inputs: Iterable[str], *, profile: str | None = None, url: str | None = None,
                user_agent: str = "newsarchive profile check") -> list[PageCheck]:
    """Check every page of *inputs* (files, WARC files, http(s) URLs) with *profile* (default: by host).

    *url* is the address a saved page was served from (its path tells an
    article from a listing); without it a file's name is taken as the path.
    Raises :class:`RunRefused` for a profile or input that does not exist.
    """
    if profile is not None and profile not in available_profiles():
        raise RunRefused(f"no site profile {profile!r}; available: {', '.join(available_profiles())}")
    checks = []
    for page in _pages(list(inputs), url, user_agent):
        site = _profile_for(page.response.url, profile)
        checks.append(check_page(page.response, site, page.captured_at, page.where))
    return checks


def check_page(response: Response, profile: SiteProfile, captured_at: datetime, where: str) -> PageCheck:
    """What *profile*'s page objects read on *response*."""
    capture = Capture.of_page(response.url, response.status, captured_at)
    if _is_comments_answer(response):
        batch = DleCommentsPage(response, profile, capture, 0).to_item()
        return PageCheck(where, "comment page",
                         notes=[f"{len(batch.comments)} comments", *_comment_sources(batch.sources), *batch.warnings],
                         missing=batch.missing)
    if not isinstance(response, TextResponse):
        return PageCheck(where, "not a text page", notes=[f"Content-Type {response.headers.get(b'Content-Type')}"])
    if profile.article_id(urlsplit(response.url).path) is None:
        listing = DleListingPage(response, profile, capture).to_item()
        dated = sum(entry.published_at is not None for entry in listing.entries)
        articles = sum(profile.article_id(urlsplit(entry.url).path) is not None for entry in listing.entries)
        notes = [f"{len(listing.entries)} teasers ({articles} article links, {dated} dated)",
                 f"next page: {listing.next_page or 'none found'}"]
        return PageCheck(where, "listing", notes=notes, missing=[] if listing.entries else ["teasers"])
    page = DleArticlePage(response, profile, capture)
    item = page.to_item()
    notes = [f"{len(item.comments)} comments on the page, {len(page.comment_page_urls())} more comment pages"]
    read = page.comments_read()
    if read is not None:
        notes += _comment_sources(read.sources)
    notes += [warning for warning in item.warnings if not warning.startswith(tuple(
        missing_warning(name) for name in item.missing))]
    return PageCheck(where, "article", page.report(), notes, item.missing)


def _comment_sources(sources: dict[str, Counter[str]]) -> list[str]:
    """Per comment field, which selectors found it on how many comments: ``comment date: 12 by span.grey``."""
    return [f"comment {name}: " + ", ".join(f"{count} by {css}" for css, count in counts.items())
            for name, counts in sources.items() if counts]


def print_checks(checks: list[PageCheck], out: TextIO = sys.stdout) -> int:
    """Print *checks* for people; the exit status: 1 when a page lacked a field, 0 otherwise."""
    for check in checks:
        print(f"{check.where}: {check.kind}", file=out)
        for report in check.fields:
            if report.value in (None, []):
                print(f"  {report.field:<24} NOT FOUND   tried: {report.tried}", file=out)
            else:
                print(f"  {report.field:<24} {_shown(report.value):<{_SHOWN}}  by {report.source}", file=out)
        for note in check.notes:
            print(f"  {note}", file=out)
        if check.missing:
            print(f"  missing: {', '.join(check.missing)}", file=out)
    failed = sum(bool(check.missing) for check in checks)
    print(f"{len(checks)} pages checked, {failed} with fields missing", file=out)
    return EXIT_FAILED if failed or not checks else EXIT_OK


def run_profile_check(inputs: list[str], profile: str | None = None, url: str | None = None,
                      out: TextIO = sys.stdout) -> int:
    """``newsarchive profile check``: check, print, return the exit status."""
    return print_checks(check_pages(inputs, profile=profile, url=url), out)


def _shown(value: object) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _profile_for(url: str, name: str | None) -> SiteProfile:
    if name is not None:
        return load_profile(name)
    found = profile_for_host(urlsplit(url).hostname or "")
    return found if found is not None else load_profile("topwar")


def _is_comments_answer(response: Response) -> bool:
    head = response.body[:200].lstrip()
    return head.startswith(b"{") and (b'"comments"' in response.body[:4096] or b'"navigation"' in head)


def _pages(inputs: list[str], url: str | None, user_agent: str) -> Iterator[_Page]:
    for given in inputs:
        if given.startswith(("http://", "https://")):
            yield _fetched(given, user_agent)
            continue
        path = Path(given)
        if not path.is_file():
            raise RunRefused(f"no such file: {given}")
        if path.name.endswith(WARC_SUFFIXES):
            yield from _warc_pages(path)
        else:
            page_url = url or f"http://saved.invalid/{path.name}"
            body = path.read_bytes()
            content_type = b"application/json" if body.lstrip()[:1] == b"{" else b"text/html"
            headers = Headers({b"Content-Type": content_type})
            response_class = responsetypes.from_args(headers=headers, url=page_url, body=body)
            yield _Page(str(path), response_class(url=page_url, body=body, headers=headers),
                        datetime.fromtimestamp(path.stat().st_mtime, timezone.utc))


def _fetched(url: str, user_agent: str) -> _Page:
    request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"})
    with urllib.request.urlopen(request, timeout=_FETCH_SECONDS) as answer:  # noqa: S310 (http(s) only, checked)
        body = answer.read()
        coding = (answer.headers.get("Content-Encoding") or "").lower()
        body = gzip.decompress(body) if coding == "gzip" else zlib.decompress(body) if coding == "deflate" else body
        headers = Headers({name: value for name, value in answer.headers.items() if name.lower() != "content-encoding"})
        response_class = responsetypes.from_args(headers=headers, url=answer.url, body=body)
        return _Page(url, response_class(url=answer.url, status=answer.status, body=body, headers=headers),
                     datetime.now(timezone.utc))


def _warc_pages(path: Path) -> Iterator[_Page]:
    """The HTML and JSON responses archived in *path*, bodies decoded by warcio (chunks, gzip, brotli)."""
    with path.open("rb") as stream:
        records = ArchiveIterator(stream)
        try:
            for record in records:
                http = record.http_headers
                if record.rec_type != "response" or http is None or not http.get_statuscode().startswith("2"):
                    continue
                if not (http.get_header("Content-Type") or "").lower().startswith(("text/html", "application/json")):
                    continue
                target = record.rec_headers.get_header("WARC-Target-URI") or ""
                body = record.content_stream().read()
                offset = records.get_record_offset()  # after the body: warcio reads the record to its end here
                headers = Headers([(name, value) for name, value in http.headers
                                   if name.lower() not in ("content-encoding", "transfer-encoding", "content-length")])
                response_class = responsetypes.from_args(headers=headers, url=target, body=body)
                response = response_class(url=target, status=int(http.get_statuscode()), body=body, headers=headers)
                when = warc_date(record.rec_headers.get_header("WARC-Date")) or datetime.now(timezone.utc)
                yield _Page(f"{path} offset {offset}: {target}", response, when)
        except (ArchiveLoadFailed, ValueError, OSError) as e:
            raise RunRefused(f"{path}: not a readable WARC file ({e}); 'newsarchive warc check' says where") from e

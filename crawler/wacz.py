"""``newsarchive wacz``: a crawl's job folder packaged as one WACZ file, as replay tools and archives take it.

The package is made by the ``wacz`` package (Webrecorder's reference
implementation): the job's WARC files under ``archive/``, their CDXJ index
(``indexes/index.cdx.gz`` with ``index.idx``), ``datapackage.json`` with the
sha256 digest of every file, and ``datapackage-digest.json``. Two things are
ours: ``pages/pages.jsonl`` lists each article page of ``items.jsonl`` (URL,
title, capture time: what a replay tool offers as the package's pages), and
``items.jsonl`` itself goes in as ``newsarchive/items.jsonl`` (added after
``wacz`` is done, then ``datapackage.json`` and its digest are written again
so they cover it). Unfinished ``.open`` WARC files are packaged under their
final names, as reprocessing names them. The package is written beside its
destination and renamed into place when whole.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from crawler.runs.outcome import RunFailed, RunRefused
from crawler.domain.outputs import OutputError, check_output
from crawler.warc.reader import ARCHIVE_SUFFIXES, WARC_SUFFIXES
from crawler.warc.writer import OPEN_SUFFIX

logger = logging.getLogger(__name__)

ITEMS_NAME = "items.jsonl"
ITEMS_PATH = "newsarchive/items.jsonl"
_PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "Article pages"}
_COPY_BUFFER = 1 << 20


class WaczError(RunRefused):
    """The package cannot be made (bad arguments, no WARC files); nothing was written (exit status 2)."""


class WaczToolError(RunFailed):
    """The wacz tool failed; nothing was written (exit status 1)."""


@dataclass
class WaczResult:
    output: Path
    warcs: list[Path] = field(default_factory=list)
    pages: int = 0
    items: bool = False

    def summary(self) -> str:
        return (f"newsarchive: wrote {self.output}: {len(self.warcs)} WARC file{'s' * (len(self.warcs) != 1)}, "
                f"{self.pages} article page{'s' * (self.pages != 1)} in pages/pages.jsonl"
                + (f", {ITEMS_NAME} as {ITEMS_PATH}" if self.items else ""))


def job_warcs(job_dir: Path) -> list[Path]:
    """The WARC files of a job folder, in name order (a crawl's serial numbers)."""
    return sorted(p for p in job_dir.iterdir() if p.is_file() and p.name.endswith(WARC_SUFFIXES))


def write_wacz(job_dir: str | os.PathLike[str], output: str | os.PathLike[str], *, title: str | None = None
               ) -> WaczResult:
    """Package the job folder *job_dir* as the WACZ file *output*; :class:`WaczError` says why it cannot be."""
    job_dir, output = Path(job_dir), Path(output)
    if not job_dir.is_dir():
        raise WaczError(f"{job_dir} is not a folder")
    warcs = job_warcs(job_dir)
    if not warcs:
        raise WaczError(f"no WARC files in {job_dir}")
    try:
        # Inside the job folder, the package would be read as input by the next reprocess of the folder.
        check_output(output, [job_dir, *warcs], ARCHIVE_SUFFIXES)
    except OutputError as e:
        raise WaczError(f"cannot write {output}: {e}") from e
    items = job_dir / ITEMS_NAME
    result = WaczResult(output, warcs, items=items.is_file())
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsarchive-wacz-", dir=output.parent) as scratch:
        scratch_dir = Path(scratch)
        inputs = _named_inputs(warcs, scratch_dir / "warcs")
        pages = scratch_dir / "pages.jsonl"
        result.pages = _write_pages(items, pages) if result.items else _write_pages(None, pages)
        made = scratch_dir / "made.wacz"
        _run_wacz(["create", "-o", str(made), "-p", str(pages), "-c", *(["--title", title] if title else []),
                   *map(str, inputs)])
        final = scratch_dir / "final.wacz"
        _add_items(made, final, items if result.items else None)
        os.replace(final, output)
    return result


def _named_inputs(warcs: list[Path], folder: Path) -> list[Path]:
    """Links to *warcs* under the names they get in the package (``.open`` dropped)."""
    folder.mkdir()
    links = []
    for warc in warcs:
        link = folder / warc.name.removesuffix(OPEN_SUFFIX)
        if link.exists():
            raise WaczError(f"{warc.name} and {link.name} would have the same name in the package")
        link.symlink_to(warc.resolve())
        links.append(link)
    return links


def _write_pages(items: Path | None, pages: Path) -> int:
    """``pages.jsonl``: one entry per article line of *items* (its page URL, title and capture time)."""
    count = 0
    with pages.open("w", encoding="utf-8") as out:
        out.write(json.dumps(_PAGES_HEADER) + "\n")
        for article in _articles(items):
            url, ts = article.get("url"), article.get("fetched_at")
            if not url or not ts:  # a line for a page that was never fetched has no capture to replay
                continue
            page = {"id": hashlib.sha1(f"{ts} {url}".encode()).hexdigest()[:24], "url": url, "ts": ts}
            if article.get("title"):
                page["title"] = article["title"]
            out.write(json.dumps(page, ensure_ascii=False) + "\n")
            count += 1
    return count


def _articles(items: Path | None) -> Iterator[dict]:
    if items is None:
        return
    with items.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            try:
                yield json.loads(line)
            except ValueError:  # a line cut by a killed crawl: the rest are still pages
                logger.warning("%s line %d is not whole JSON: left out of pages.jsonl", items, number)


def _run_wacz(arguments: list[str]) -> None:
    """Run the ``wacz`` command line in a process of its own; what it printed goes into the error message.

    Not in this process: importing wacz changes cdxj-indexer for everyone in it (it adds warcinfo to the
    record types indexed by default).
    """
    done = subprocess.run([sys.executable, "-m", "wacz", *arguments], capture_output=True, text=True)
    if done.returncode != 0:
        said = (done.stdout + done.stderr).strip()[-2000:]
        raise WaczToolError(f"wacz {arguments[0]} failed (status {done.returncode}): {said}")


def _add_items(made: Path, final: Path, items: Path | None) -> None:
    """Copy the package *made* to *final* with *items* added and datapackage.json (and its digest) covering it."""
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(final, "w") as target:
        datapackage = json.loads(source.read("datapackage.json"))
        for info in source.infolist():
            if info.filename in ("datapackage.json", "datapackage-digest.json"):
                continue
            with source.open(info) as data, target.open(_entry(info.filename, info), "w") as copy:
                while chunk := data.read(_COPY_BUFFER):
                    copy.write(chunk)
        if items is not None:
            info = zipfile.ZipInfo.from_file(items, ITEMS_PATH)
            info.compress_type = zipfile.ZIP_DEFLATED
            digest = hashlib.sha256()
            with items.open("rb") as data, target.open(info, "w") as copy:
                while chunk := data.read(_COPY_BUFFER):
                    digest.update(chunk)
                    copy.write(chunk)
            datapackage["resources"].append({"name": ITEMS_NAME, "path": ITEMS_PATH,
                                             "hash": f"sha256:{digest.hexdigest()}", "bytes": items.stat().st_size})
        package_bytes = json.dumps(datapackage, indent=2).encode("utf-8")
        target.writestr(_entry("datapackage.json", None, zipfile.ZIP_DEFLATED), package_bytes)
        digest_doc = {"path": "datapackage.json", "hash": f"sha256:{hashlib.sha256(package_bytes).hexdigest()}"}
        target.writestr(_entry("datapackage-digest.json", None, zipfile.ZIP_DEFLATED),
                        json.dumps(digest_doc, indent=2).encode("utf-8"))


def _entry(name: str, like: zipfile.ZipInfo | None, compress_type: int | None = None) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, like.date_time if like is not None else _now())
    info.compress_type = compress_type if compress_type is not None else (like.compress_type if like else 0)
    info.external_attr = 0o644 << 16
    return info


def _now() -> tuple[int, int, int, int, int, int]:
    return time.gmtime()[:6]  # type: ignore[return-value]

"""Archive files written the way other tools (sloppy ones too) write them, for the archive-format tests.

Records are written with warcio's writer, so their digests are right unless a
test spoils them; the HTTP messages inside are written byte for byte here.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

STORY_TEXT = (
    "The harbour bridge reopened on Monday after eight months of repairs, the city council said.",
    "Engineers replaced the deck joints and repainted the steel arches; traffic is back to four lanes.",
)


def article_html(title: str, paragraphs: tuple[str, ...] = STORY_TEXT, published: str = "2024-01-02T03:04:05+00:00"
                 ) -> bytes:
    """A small news page: a title, a publication time, and its paragraphs in an <article>."""
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (f'<!doctype html><html><head><title>{title}</title>'
            f'<meta property="article:published_time" content="{published}"></head>'
            f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode()


EMPTY_HTML = b"<!doctype html><html><head></head><body><script>var shell = 1;</script></body></html>"


@dataclass(frozen=True)
class Capture:
    """One response record to write: the URL, the HTTP head lines and the payload exactly as stored."""

    url: str
    headers: list[tuple[str, str]]
    payload: bytes
    status: str = "200 OK"
    date: str = "2024-01-02T03:04:05Z"
    record_id: str | None = None


def write_warc(path: Path, captures: list[Capture], gzipped: bool | None = None) -> list[int]:
    """Write *captures* as response records (gzip per record if *path* ends in .gz); return their offsets."""
    offsets = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=path.name.endswith(".gz") if gzipped is None else gzipped)
        for capture in captures:
            offsets.append(fh.tell())
            head = StatusAndHeaders(capture.status, capture.headers, protocol="HTTP/1.1")
            fields = {"WARC-Date": capture.date}
            if capture.record_id:
                fields["WARC-Record-ID"] = capture.record_id
            record = writer.create_warc_record(capture.url, "response", payload=io.BytesIO(capture.payload),
                                               http_headers=head, warc_headers_dict=fields)
            writer.write_record(record)
    return offsets


def html(url: str, page: bytes, *, extra: list[tuple[str, str]] | None = None, **kwargs: object) -> Capture:
    """An HTML 200 response with a right Content-Length."""
    headers = [("Content-Type", "text/html; charset=utf-8"), *(extra or []), ("Content-Length", str(len(page)))]
    return Capture(url, headers, page, **kwargs)  # type: ignore[arg-type]


def wacz_archiveweb_page(path: Path, warc: Path, cdxj_lines: list[str]) -> None:
    """A WACZ 1.1.1 package as ArchiveWeb.page 0.12 writes them: a plain CDXJ index named ``indexes/index.cdx``,
    ``hash: "sha256:…"`` digests, the WARC under ``archive/data.warc.gz``."""
    files = {"pages/pages.jsonl": b'{"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}\n',
             "archive/data.warc.gz": warc.read_bytes(),
             "indexes/index.cdx": "".join(line + "\n" for line in cdxj_lines).encode()}
    resources = [{"name": Path(name).name, "path": name, "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                  "bytes": len(data)} for name, data in files.items()]
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("datapackage.json", json.dumps({"profile": "data-package", "resources": resources,
                                                         "wacz_version": "1.1.1"}))
        for name, data in files.items():
            package.writestr(name, data, compress_type=zipfile.ZIP_STORED)


def wacz_1_0(path: Path, warc: Path, cdxj_lines: list[str], pages: list[dict]) -> None:
    """A WACZ 1.0 package as ArchiveWeb.page wrote them: zipnum index (``index.cdx.gz`` + ``index.idx``),
    ``stats.hash`` digests in ``datapackage.json``, the WARC stored uncompressed."""
    cdx = gzip.compress("".join(line + "\n" for line in cdxj_lines).encode())
    idx = (cdxj_lines[0].split(" ", 2)[0] + " " + cdxj_lines[0].split(" ", 2)[1] + " "
           + json.dumps({"offset": 0, "length": len(cdx), "filename": "index.cdx.gz"}) + "\n").encode()
    pages_jsonl = "\n".join(json.dumps(page) for page in
                            [{"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}, *pages]).encode()
    files = {"indexes/index.cdx.gz": cdx, "indexes/index.idx": idx, f"archive/{warc.name}": warc.read_bytes(),
             "pages/pages.jsonl": pages_jsonl}
    resources = [{"path": name, "stats": {"hash": hashlib.sha256(data).hexdigest(), "bytes": len(data)},
                  "hashing": "sha256"} for name, data in files.items()]
    with zipfile.ZipFile(path, "w") as package:
        for name, data in files.items():
            package.writestr(name, data, compress_type=zipfile.ZIP_STORED)
        package.writestr("datapackage.json", json.dumps({"profile": "data-package", "resources": resources,
                                                         "wacz_version": "1.0.0"}))

"""The writer process's loop, driven in-process through byte streams."""

from __future__ import annotations

import io
import json
import os
import resource
import signal
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from crawler.warc.archiver import Exchange
from crawler.warc.worker import CLOSE_FRAME, encode_exchange, serve

SENT_AT = datetime(2026, 1, 25, 10, 30, 0, 500, tzinfo=timezone.utc)
PAGE = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
CLOSE = CLOSE_FRAME


def _frame(exchange_id: int, exchange: Exchange) -> bytes:
    return b"".join(encode_exchange(exchange_id, exchange))


def _exchange(path: str, response: bytes = PAGE, status: int = 200) -> Exchange:
    request = f"GET {path} HTTP/1.1\r\nHost: example.com\r\n\r\n".encode()
    return Exchange("http://example.com" + path, status, SENT_AT, "93.184.216.34", request, response)


def _serve(tmp_path: Path, frames: bytes, dedup: bool = True) -> list[dict]:
    config = {
        "directory": str(tmp_path / "job"),
        "prefix": "t",
        "warcinfo": [["software", "test"]],
        "max_size": 10**9,
        "gzip_level": 6,
        "index": str(tmp_path / "digests.sqlite3") if dedup else None,
    }
    out = io.BytesIO()
    assert serve(config, io.BytesIO(frames), out) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_archives_each_exchange_and_closes(tmp_path: Path) -> None:
    frames = _frame(7, _exchange("/a")) + _frame(8, _exchange("/b")) + CLOSE
    first, second, closed = _serve(tmp_path, frames)
    (warc,) = (tmp_path / "job").iterdir()
    assert closed == {"op": "closed", "files": [str(warc)], "failed": None}
    assert (first["id"], first["revisit"], second["id"], second["revisit"]) == (7, False, 8, True)
    assert first["warc_date"] == "2026-01-25T10:30:00.000500+00:00"
    with warc.open("rb") as fh:
        fh.seek(second["offset"])
        record = next(iter(ArchiveIterator(fh)))
    assert record.rec_headers.get_header("WARC-Record-ID") == second["record_id"]
    assert record.rec_headers.get_header("WARC-Refers-To") == first["record_id"]
    assert record.rec_headers.get_header("WARC-Date") == "2026-01-25T10:30:00.000500Z"


def test_only_2xx_payloads_are_deduplicated(tmp_path: Path) -> None:
    missing = b"HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n\r\nhello"
    frames = _frame(1, _exchange("/a", missing, 404)) + _frame(2, _exchange("/b", missing, 404))
    assert [reply["revisit"] for reply in _serve(tmp_path, frames + CLOSE)[:2]] == [False, False]


def test_without_dedup_every_payload_is_stored(tmp_path: Path) -> None:
    frames = _frame(1, _exchange("/a")) + _frame(2, _exchange("/b")) + CLOSE
    assert [reply["revisit"] for reply in _serve(tmp_path, frames, dedup=False)[:2]] == [False, False]


def test_end_of_input_without_close_leaves_the_file_open(tmp_path: Path) -> None:
    frames = _frame(1, _exchange("/a"))
    cut_frame = _frame(2, _exchange("/b"))[:-10]
    replies = _serve(tmp_path, frames + cut_frame)
    assert [reply["id"] for reply in replies] == [1]
    (warc,) = (tmp_path / "job").iterdir()
    assert warc.name.endswith(".warc.gz.open")


def _limit_file_size(limit: int):  # noqa: ANN202
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing the writer
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_failed_write_is_cut_off_remembered_with_its_offset_and_the_file_stays_open(tmp_path: Path) -> None:
    big = b"HTTP/1.1 200 OK\r\nContent-Length: 200000\r\n\r\n" + os.urandom(200_000)  # does not compress
    frames = _frame(1, _exchange("/a")) + _frame(2, _exchange("/big", big)) + _frame(3, _exchange("/c")) + CLOSE
    config = {"directory": str(tmp_path / "job"), "prefix": "t", "warcinfo": [["software", "test"]],
              "max_size": 10**9, "gzip_level": 6, "index": None}
    done = subprocess.run([sys.executable, "-m", "crawler.warc.worker", json.dumps(config)], input=frames,
                          capture_output=True, timeout=60, preexec_fn=_limit_file_size(64 << 10))
    first, second, third, closed = [json.loads(line) for line in done.stdout.splitlines()]
    (warc,) = (tmp_path / "job").iterdir()
    assert warc.name.endswith(".warc.gz.open"), "a file whose write failed never gets a finished name"
    whole = warc.stat().st_size
    assert "error" not in first and first["offset"] + first["length"] == whole, "the failed write is cut back off"
    for reply in (second, third):
        assert f"{warc}: the write at offset {whole} failed (File too large)" in reply["error"]
    assert closed["files"] == [] and closed["failed"].startswith(f"{warc}: the write at offset {whole} failed")
    assert done.stderr.decode().count("Cannot archive") == 1, "said once"
    with warc.open("rb") as fh:
        assert [r.rec_type for r in ArchiveIterator(fh)] == ["warcinfo", "request", "response"]

"""The WARC writer process: digests, dedup, gzip and file writes off the crawl's interpreter.

A crawl is CPU-bound on its main thread, and a writer *thread* would have to
take the GIL back after every zlib or hashlib call: measured on a 2-core
machine it spent ~3.5 ms of wall time per exchange for ~1.2 ms of CPU, so it
capped the crawl at under 300 pages/s. A child process has no GIL to share.
The crawl (:class:`crawler.warc.worker_client.WarcWorker`) sends each
exchange down the child's stdin through the reactor, and reads one JSON line
per archived exchange from its stdout; the child (this module, which keeps
its imports light so it starts fast) runs :class:`crawler.warc.archiver.Archiver`.

Frames to the child: a 4-byte big-endian length, a JSON header, then the
request and response bytes (their lengths are in the header). A ``close``
frame makes the child finish its files (dropping ``.open``) and reply
``closed`` with the files it finished and the write that failed, if one did
(that file keeps its ``.open`` name). If the crawl dies, the child reads end-of-file, finishes the
exchanges it already has and leaves its files ``.open``, as unfinished.
"""

from __future__ import annotations

import json
import logging
import signal
import struct
import sys
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from crawler.warc.archiver import Archiver, Exchange
from crawler.warc.dedup import DigestIndex
from crawler.warc.writer import WarcFileFailed, WarcFileWriter

logger = logging.getLogger(__name__)

_LENGTH = struct.Struct(">I")
CLOSE_FRAME = _LENGTH.pack(15) + b'{"op": "close"}'


def encode_exchange(exchange_id: int, exchange: Exchange) -> list[bytes]:
    """The frame for *exchange*, in parts (so large bodies are not copied once more to join them)."""
    header = {
        "id": exchange_id,
        "target_uri": exchange.target_uri,
        "status": exchange.status,
        "sent_at": exchange.sent_at.isoformat(),
        "ip_address": exchange.ip_address,
        "truncated": exchange.truncated,
        "request": len(exchange.request),
        "response": len(exchange.response),
        "excess": len(exchange.excess),
    }
    encoded = json.dumps(header).encode("utf-8")
    return [_LENGTH.pack(len(encoded)) + encoded, exchange.request, exchange.response, exchange.excess]


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    data = stream.read(size)
    return data if len(data) == size else None


def _read_frame(stream: BinaryIO) -> tuple[dict[str, Any], bytes] | None:
    """The next frame's header and body; None at end of input (or a frame cut by it)."""
    prefix = _read_exactly(stream, _LENGTH.size)
    header_bytes = prefix and _read_exactly(stream, _LENGTH.unpack(prefix)[0])
    if not header_bytes:
        return None
    header = json.loads(header_bytes)
    size = header.get("request", 0) + header.get("response", 0) + header.get("excess", 0)
    body = _read_exactly(stream, size) if size else b""
    return None if body is None else (header, body)


def _exchange(header: dict[str, Any], body: bytes) -> Exchange:
    split = header["request"]
    end = split + header["response"]
    return Exchange(
        target_uri=header["target_uri"],
        status=header["status"],
        sent_at=datetime.fromisoformat(header["sent_at"]),
        ip_address=header["ip_address"],
        request=body[:split],
        response=body[split:end],
        truncated=header["truncated"],
        excess=body[end:],
    )


def _reply(stream: BinaryIO, message: dict[str, Any]) -> None:
    stream.write(json.dumps(message).encode("utf-8") + b"\n")
    stream.flush()


def serve(config: dict[str, Any], stdin: BinaryIO, stdout: BinaryIO) -> int:
    """The child's loop: archive each exchange read from *stdin*, reply on *stdout*."""
    files = WarcFileWriter(
        Path(config["directory"]),
        config["prefix"],
        warcinfo=[(name, value) for name, value in config["warcinfo"]],
        max_size=config["max_size"],
        gzip_level=config["gzip_level"],
    )
    archiver = Archiver(files, DigestIndex(Path(config["index"])) if config["index"] else None)
    reported = False
    while (frame := _read_frame(stdin)) is not None:
        header, body = frame
        if header.get("op") == "close":
            archiver.close()
            _reply(stdout, {"op": "closed", "files": [str(path) for path in files.closed_files],
                            "failed": str(files.failed) if files.failed else None})
            return 0
        try:
            archived = archiver.archive(_exchange(header, body))
        except WarcFileFailed as e:
            if not reported:  # said once: every later write is refused with the same failure
                logger.error("Cannot archive %s: %s", header["target_uri"], e)
                reported = True
            _reply(stdout, {"id": header["id"], "error": str(e)})
        except OSError as e:
            logger.error("Cannot archive %s: %s", header["target_uri"], e)
            _reply(stdout, {"id": header["id"], "error": f"{type(e).__name__}: {e}"})
        except (ValueError, RuntimeError) as e:
            logger.exception("Cannot archive %s", header["target_uri"])
            _reply(stdout, {"id": header["id"], "error": f"{type(e).__name__}: {e}"})
        else:
            _reply(stdout, {"id": header["id"], **asdict(archived), "warc_date": archived.warc_date.isoformat()})
    logger.warning("The crawl went away; WARC files stay .open as unfinished")
    return 0


def main(argv: list[str] | None = None) -> int:
    # Ctrl-C reaches the whole process group; the crawl shuts down and then closes our input, and
    # records still queued must be written first. We stop on the close frame or the end of input.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    config = json.loads((argv if argv is not None else sys.argv[1:])[0])
    logging.basicConfig(
        level=config.get("log_level", "INFO"),
        format="%(asctime)s [%(name)s] %(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    return serve(config, sys.stdin.buffer, sys.stdout.buffer)


if __name__ == "__main__":
    sys.exit(main())

"""The crawl's end of the WARC writer process (:mod:`crawler.warc.worker`)."""

from __future__ import annotations

import itertools
import json
import os
import sys
from datetime import datetime
from typing import Any

from twisted.internet import protocol
from twisted.internet.defer import Deferred, fail
from twisted.python.failure import Failure

from crawler.warc.archiver import ArchivedResponse, Exchange
from crawler.warc.worker import CLOSE_FRAME, encode_exchange


class WarcWriteError(RuntimeError):
    """The WARC writer process could not archive an exchange, or is gone."""


class WarcWorker(protocol.ProcessProtocol):
    """The crawl's end of the writer process: :meth:`archive` and :meth:`close` return Deferreds."""

    def __init__(self) -> None:
        self._ids = itertools.count()
        self._waiting: dict[int, Deferred[ArchivedResponse]] = {}
        self._closing: Deferred[tuple[list[str], str | None]] | None = None
        self._lines = b""
        self._ended: str | None = None

    @classmethod
    def spawn(cls, config: dict[str, Any]) -> WarcWorker:
        from twisted.internet import reactor

        worker = cls()
        argv = [sys.executable, "-m", "crawler.warc.worker", json.dumps(config)]
        reactor.spawnProcess(worker, sys.executable, argv, env=dict(os.environ), childFDs={0: "w", 1: "r", 2: 2})
        return worker

    def archive(self, exchange: Exchange) -> Deferred[ArchivedResponse]:
        if self._ended or self.transport is None:
            return fail(WarcWriteError(f"the WARC writer process is gone ({self._ended})"))
        exchange_id = next(self._ids)
        waiting: Deferred[ArchivedResponse] = Deferred()
        self._waiting[exchange_id] = waiting
        self.transport.writeSequence(encode_exchange(exchange_id, exchange))
        return waiting

    def close(self) -> Deferred[tuple[list[str], str | None]]:
        """Finish the files; fires with the paths of the files finished, and the write that failed (if one did)."""
        if self._ended or self.transport is None:
            return fail(WarcWriteError(f"the WARC writer process is gone ({self._ended})"))
        self._closing = Deferred()
        self.transport.write(CLOSE_FRAME)
        self.transport.closeStdin()
        return self._closing

    def outReceived(self, data: bytes) -> None:  # noqa: N802 (Twisted's name)
        *lines, self._lines = (self._lines + data).split(b"\n")
        for line in lines:
            self._handle(json.loads(line))

    def _handle(self, message: dict[str, Any]) -> None:
        if message.get("op") == "closed":
            if self._closing is not None:
                self._closing.callback((message["files"], message.get("failed")))
            return
        waiting = self._waiting.pop(message["id"])
        if "error" in message:
            waiting.errback(WarcWriteError(message["error"]))
        else:
            message.pop("id")
            message["warc_date"] = datetime.fromisoformat(message["warc_date"])
            waiting.callback(ArchivedResponse(**message))

    def processEnded(self, reason: Failure) -> None:  # noqa: N802 (Twisted's name)
        self._ended = reason.getErrorMessage()
        gone = WarcWriteError(f"the WARC writer process exited ({self._ended})")
        waiting, self._waiting = self._waiting, {}
        for deferred in waiting.values():
            deferred.errback(gone)
        if self._closing is not None and not self._closing.called:
            self._closing.errback(gone)

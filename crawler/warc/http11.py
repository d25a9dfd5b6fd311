"""The adapter to Scrapy's and Twisted's private HTTP/1.1 internals: the raw bytes of each exchange.

Scrapy's ``Response`` is a parsed view: header order and case, the status
text, the HTTP version, chunked framing and the encoded body are gone by the
time anything else sees it. An archive needs the bytes themselves, so
:class:`CapturingHTTP11DownloadHandler` is Scrapy's HTTP/1.1 handler with one
change in its connection pool: the connection protocol tees every byte it
writes for a request (request line, headers, body) and every byte it receives
until the response parser says the response ended (status line, headers, body
still framed and encoded). On a kept-alive connection each request gets its
own capture; the bytes a parser reports as past the end of a response (a
server that sent more than its ``Content-Length``) are kept apart in the
capture, not in the response. For HTTPS the bytes are the HTTP messages inside TLS.

Each download's capture is handed, with the request and the response, to the
handler's :meth:`~CapturingHTTP11DownloadHandler.exchange_captured` hook,
which subclasses override (:mod:`crawler.warc.handler` archives it). A
download that fails once the response's head has arrived (the connection
closed or reset mid-body, a timeout, a size limit) goes to
:meth:`~CapturingHTTP11DownloadHandler.exchange_failed` with what arrived and
the error, so what came can be archived and the error can say so. This is
the only module that subclasses private classes (``_ScrapyAgent``, the lenient
client protocol and factory, the handler's pool): a Scrapy or Twisted upgrade
that changes them is mended here, and ``tests/test_warc_http11.py`` says so.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
    _ScrapyAgent,
)
from scrapy.exceptions import ResponseDataLossError
from scrapy.utils._download_handlers import get_dataloss_msg, wrap_twisted_exceptions
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.protocol import connectionDone
from twisted.web.iweb import UNKNOWN_LENGTH

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.internet.defer import Deferred
    from twisted.internet.interfaces import IAddress, ITransport
    from twisted.python.failure import Failure
    from twisted.web._newclient import HTTP11ClientProtocol
    from twisted.web._newclient import Request as TxRequest
    from twisted.web.client import Response as TxResponse
    from twisted.web.iweb import IResponse

logger = logging.getLogger(__name__)

_TXRESPONSE_ATTRIBUTE = "_newsarchive_wire_capture"


@dataclass(eq=False)
class WireCapture:
    """The bytes of one request and its response, as written to and read from the connection."""

    sent_at: float
    peer_ip: str | None
    sent: list[bytes] = field(default_factory=list)
    received: list[bytes] = field(default_factory=list)
    excess: int = 0
    ended: bool = False

    def request_bytes(self) -> bytes:
        return b"".join(self.sent)

    def response_bytes(self) -> bytes:
        """What was received for this request: the response and nothing after it."""
        received = b"".join(self.received)
        return received[: len(received) - self.excess]

    def excess_bytes(self) -> bytes:
        """Bytes read past the end of the response (beyond its ``Content-Length``): not part of it, kept apart."""
        return b"".join(self.received)[-self.excess :] if self.excess else b""

    def end(self, excess: int) -> None:
        """The response is over; the last *excess* received bytes were not part of it."""
        if not self.ended:
            self.ended = True
            self.excess = excess


class _TeeTransport:
    """Passes writes on to *transport* and keeps them in *sink*."""

    def __init__(self, transport: ITransport, sink: list[bytes]):
        self._transport = transport
        self._sink = sink

    def write(self, data: bytes) -> None:
        self._sink.append(data)
        self._transport.write(data)

    def writeSequence(self, data: Iterable[bytes]) -> None:  # noqa: N802 (Twisted's name)
        data = list(data)
        self._sink.extend(data)
        self._transport.writeSequence(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class _RecordedRequest:
    """A Twisted request that writes itself through a :class:`_TeeTransport`."""

    def __init__(self, request: TxRequest, capture: WireCapture):
        self._request = request
        self._capture = capture

    def writeTo(self, transport: ITransport) -> Deferred[None]:  # noqa: N802 (Twisted's name)
        return self._request.writeTo(_TeeTransport(transport, self._capture.sent))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)


class _RecordingHTTP11ClientProtocol(_LenientHTTP11ClientProtocol):
    """Scrapy's lenient HTTP/1.1 protocol, keeping a :class:`WireCapture` per request."""

    _capture: WireCapture | None = None

    def request(self, request: TxRequest) -> Deferred[IResponse]:
        if self.state != "QUIESCENT":
            return super().request(request)
        capture = WireCapture(sent_at=time.time(), peer_ip=_peer_ip(self.transport))
        self._capture = capture
        d = super().request(cast("TxRequest", _RecordedRequest(request, capture)))
        d.addCallback(_attach_capture, capture)
        return d

    def dataReceived(self, data: bytes) -> None:  # noqa: N802 (Twisted's name)
        if self._capture is not None:
            self._capture.received.append(data)
        super().dataReceived(data)

    def _finishResponse(self, rest: bytes) -> None:  # noqa: N802 (Twisted's name)
        # The parser hands back the bytes it read past the response's end.
        self._end_capture(len(rest))
        super()._finishResponse(rest)

    def connectionLost(self, reason: Failure = connectionDone) -> None:  # noqa: N802 (Twisted's name)
        # A body delimited by the connection closing ends here.
        self._end_capture(0)
        super().connectionLost(reason)

    def _end_capture(self, excess: int) -> None:
        if self._capture is not None:
            self._capture.end(excess)
            self._capture = None


def _peer_ip(transport: ITransport | None) -> str | None:
    peer = getattr(transport, "getPeer", None)
    return getattr(peer(), "host", None) if peer else None


def _attach_capture(response: IResponse, capture: WireCapture) -> IResponse:
    setattr(response, _TXRESPONSE_ATTRIBUTE, capture)
    return response


class _RecordingHTTP11ClientFactory(_LenientHTTP11ClientFactory):
    def buildProtocol(self, addr: IAddress | None) -> HTTP11ClientProtocol:  # noqa: N802 (Twisted's name)
        return _RecordingHTTP11ClientProtocol(self._quiescentCallback)


@dataclass(frozen=True)
class ResponseHead:
    """What the head of a response said, for a download that failed after it arrived."""

    status: int
    announced_length: int | None  # the body length the head announced (Content-Length), if it did


class _RecordingAgent(_ScrapyAgent):
    """Scrapy's agent for one request, keeping the capture of the response it reads."""

    capture: WireCapture | None = None
    head: ResponseHead | None = None

    def _cb_bodyready(self, txresponse: TxResponse, request: Request) -> Any:
        self.capture = getattr(txresponse, _TXRESPONSE_ATTRIBUTE, None)
        length = txresponse.length
        self.head = ResponseHead(int(txresponse.code), None if length is UNKNOWN_LENGTH else cast("int", length))
        return super()._cb_bodyready(txresponse, request)


class CapturingHTTP11DownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 download handler that also captures the raw bytes of every exchange.

    With *record* off it is Scrapy's own handler, at Scrapy's cost. With it on,
    each response and its :class:`WireCapture` go to :meth:`exchange_captured`.
    """

    def __init__(self, crawler: Crawler, *, record: bool = True):
        super().__init__(crawler)
        self.recording = record
        if record:
            self._pool._factory = _RecordingHTTP11ClientFactory

    async def exchange_captured(self, request: Request, response: Response, capture: WireCapture) -> Response:
        """Called with every response downloaded while recording; returns the response to hand on."""
        return response

    async def exchange_failed(self, request: Request, capture: WireCapture, head: ResponseHead,
                              error: Exception) -> Exception:
        """Called when a download failed after its response's head arrived; returns the exception to raise.

        *capture* holds what arrived before the failure (*error*, already one
        of Scrapy's download exceptions).
        """
        return error

    async def download_request(self, request: Request) -> Response:
        if not self.recording:
            return await super().download_request(request)
        spider = self._crawler.spider
        agent = _RecordingAgent(
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=self._pool,
            maxsize=getattr(spider, "download_maxsize", self._default_maxsize),
            warnsize=getattr(spider, "download_warnsize", self._default_warnsize),
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        try:
            with wrap_twisted_exceptions():
                response = await maybe_deferred_to_future(agent.download_request(request))
        except Exception as e:  # noqa: BLE001 (what arrived is handed on whatever failed; the error is raised again)
            if isinstance(e, ResponseDataLossError) and not self._fail_on_dataloss_warned:
                self._fail_on_dataloss_warned = True
                logger.warning(get_dataloss_msg(request.url))
            if agent.capture is None or agent.head is None:  # nothing of the response arrived
                raise
            raised = await self.exchange_failed(request, agent.capture, agent.head, e)
            if raised is e:
                raise
            raise raised from e
        if agent.capture is None:  # the response was produced without reading from a connection
            return response
        return await self.exchange_captured(request, response, agent.capture)

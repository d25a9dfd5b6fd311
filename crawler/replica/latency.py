"""A distant server's latency for the replica: every answer sent some time late, none holding up the others.

On the real web most of a crawl's time is spent waiting for answers, and parallel workers overlap that waiting;
on 127.0.0.1 the replica answers at once. ``python -m crawler.replica --latency MS`` wraps the site's resource in
:class:`DelayedResource`, which renders each request that much later with the reactor's ``callLater``.
"""

from __future__ import annotations

from twisted.internet.interfaces import IReactorTime
from twisted.web.resource import Resource
from twisted.web.server import NOT_DONE_YET, Request


class DelayedResource(Resource):
    """Answers every request through *inner*, *latency* seconds late (*clock*: the reactor unless given)."""

    isLeaf = True

    def __init__(self, inner: Resource, latency: float, clock: IReactorTime | None = None) -> None:
        super().__init__()
        if latency < 0:
            raise ValueError(f"latency must not be negative, got {latency}")
        self.inner = inner
        self.latency = latency
        self.clock = clock

    def render(self, request: Request) -> int:
        if self.clock is None:
            from twisted.internet import reactor as clock
        else:
            clock = self.clock
        call = clock.callLater(self.latency, self._answer, request)
        # A client that hangs up meanwhile gets no answer: writing to a lost connection is an error.
        request.notifyFinish().addErrback(lambda _: call.cancel() if call.active() else None)
        return NOT_DONE_YET

    def _answer(self, request: Request) -> None:
        body = self.inner.render(request)
        if body is not NOT_DONE_YET:
            request.write(body)
            request.finish()

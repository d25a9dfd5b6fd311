"""robots.txt checks as RFC 9309 says, for every request, however many arrive at once.

What an answer for ``/robots.txt`` means (RFC 9309, 2.3.1):

- a whole 2xx answer: its rules;
- 4xx ("unavailable"), or a redirect chain that does not end (more than five
  hops): no rules, everything allowed;
- 5xx, a timeout, a reset connection, or a body cut off before its
  ``Content-Length`` ("unreachable"): **everything disallowed**. Rules half
  read are not rules: a cut-off file may have lost the very line that
  disallowed a path.
- no connection at all (refused, or the name does not resolve): the host is
  not there, so no page of it can be fetched either; the request goes on and
  fails with its own, more precise error, and the next request to the host
  asks for robots.txt again (nothing is remembered for a host that is down).

An unreachable robots.txt is tried again after each of the delays in
``ROBOTSTXT_RETRY_DELAYS`` (seconds) while the host's requests wait; if it is
still unreachable after the last, every request to that host is refused
(``robots.txt unreachable …``, counted in ``robotstxt/forbidden`` and
``robotstxt/unreachable``) until the last delay has passed once more, when
the next request to the host fetches robots.txt again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scrapy import Request, signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError, IgnoreRequest
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred
from twisted.internet.task import deferLater

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)

DEFAULT_RETRY_DELAYS = (10.0, 60.0, 300.0)
_HOST_DOWN = (DownloadConnectionRefusedError, CannotResolveHostError)


class _HostDown(Exception):
    """robots.txt could not be asked for at all: no connection to the host."""


@dataclass(frozen=True)
class DisallowAll:
    """The rules of a host whose robots.txt is unreachable: nothing allowed, until *retry_at* (reactor time)."""

    reason: str
    retry_at: float

    def allowed(self, url: str, user_agent: str | bytes) -> bool:
        return False


class ConcurrentRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's RobotsTxtMiddleware, with RFC 9309's reading of failures and every waiting request checked.

    Scrapy (2.19) reads any answer's body as rules (a 503 page allows
    everything) and takes a failed download for "no rules"; here an
    unreachable robots.txt disallows all (see the module's docstring).
    Scrapy also lets all requests that arrive while a host's robots.txt is
    still downloading await one shared Deferred, of which only the first
    awaiter gets the parser: the others are let through unchecked. Here each
    such request waits on a Deferred of its own, chained to the shared one.
    """

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        delays = crawler.settings.getlist("ROBOTSTXT_RETRY_DELAYS", list(DEFAULT_RETRY_DELAYS))
        try:
            self._retry_delays = [float(delay) for delay in delays]
        except ValueError as e:
            raise ValueError(f"ROBOTSTXT_RETRY_DELAYS must be seconds, got {delays!r}") from e

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        if isinstance(rp, DisallowAll):
            self._stats.inc_value("robotstxt/forbidden")
            self._stats.inc_value("robotstxt/unreachable")
            raise IgnoreRequest(f"robots.txt unreachable ({rp.reason}): everything disallowed (RFC 9309)")
        super().process_request_2(rp, request)

    async def robot_parser(self, request: Request) -> RobotParser | None:
        from twisted.internet import reactor  # the one Scrapy installed

        netloc = urlparse_cached(request).netloc
        known = self._parsers.get(netloc)
        if isinstance(known, DisallowAll) and reactor.seconds() >= known.retry_at:
            del self._parsers[netloc]
        if netloc not in self._parsers:
            pending: Deferred[RobotParser | None] = Deferred()
            self._parsers[netloc] = pending
            try:
                parser = await self._fetch_rules(request, netloc)
            except _HostDown:
                del self._parsers[netloc]
                parser = None
            else:
                self._parsers[netloc] = parser
            pending.callback(parser)
            return parser
        known = self._parsers[netloc]
        if not isinstance(known, Deferred):
            return known
        waiter: Deferred[RobotParser | None] = Deferred()

        def hand_on(parser: RobotParser | None) -> RobotParser | None:
            waiter.callback(parser)
            return parser

        known.addCallback(hand_on)
        return await maybe_deferred_to_future(waiter)

    async def _fetch_rules(self, request: Request, netloc: str) -> RobotParser | None:
        """The host's rules: fetched, tried again after each delay while unreachable, else :class:`DisallowAll`."""
        from twisted.internet import reactor

        url = urlparse_cached(request)
        robots_url = f"{url.scheme}://{netloc}/robots.txt"
        reason = ""
        for attempt, delay in enumerate([0.0, *self._retry_delays]):
            if delay:
                logger.warning("robots.txt of %s unreachable (%s); trying again in %g s, its requests waiting",
                               netloc, reason, delay)
                await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
            self._stats.inc_value("robotstxt/request_count")
            outcome = await self._try(robots_url, request)
            if not isinstance(outcome, str):
                return outcome
            reason = outcome
        wait = self._retry_delays[-1] if self._retry_delays else 0.0
        logger.error("robots.txt of %s unreachable (%s) after %d attempts: every request to it is refused "
                     "for %g s (RFC 9309: disallow all)", netloc, reason, attempt + 1, wait)
        return DisallowAll(reason, reactor.seconds() + wait)

    async def _try(self, robots_url: str, request: Request) -> RobotParser | None | str:
        """One download of robots.txt: the rules, ``None`` for "no rules", or why it is unreachable."""
        # Not retried at once by RetryMiddleware: the attempts and their delays are ours.
        robots_request = Request(robots_url, priority=self.DOWNLOAD_PRIORITY,
                                 meta={"dont_obey_robotstxt": True, "dont_retry": True}, callback=NO_CALLBACK)
        try:
            response = await self.crawler.engine.download_async(robots_request)
        except IgnoreRequest:
            return None  # refused on our side (offsite, a stopping crawl): as Scrapy does
        except _HOST_DOWN as e:
            raise _HostDown from e
        except Exception as e:  # noqa: BLE001 -- any failure to download it makes it unreachable
            self._stats.inc_value(f"robotstxt/exception_count/{type(e)}")
            return f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
        self._stats.inc_value("robotstxt/response_count")
        self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        if response.status >= 500:
            return f"HTTP {response.status}"
        if "dataloss" in response.flags:
            return "the answer was cut off"
        if response.status >= 300:
            return None  # unavailable (4xx), or redirects that did not end: no rules
        return await self._rules(response, request)

    async def _rules(self, response: Response, request: Request) -> RobotParser:
        parser = build_from_crawler(self._parserimpl, self.crawler, response.body)
        await self.crawler.signals.send_catch_log_async(signal=signals.robots_parsed, robotparser=parser,
                                                        request=request)
        return parser

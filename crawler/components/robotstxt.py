"""robots.txt checks that hold for every request, however many arrive at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.robotstxt import RobotParser


class ConcurrentRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's RobotsTxtMiddleware, with every request waiting for robots.txt getting the parser.

    Scrapy (2.19) lets all requests that arrive while a host's robots.txt is
    still downloading await one shared Deferred; only the first awaiter gets
    the parser, the others get ``None`` and are let through unchecked, so a
    crawl that starts with many URLs of one host fetches disallowed pages.
    Here each such request waits on a Deferred of its own, chained to the
    shared one so the parser is passed on to every waiter.
    """

    async def robot_parser(self, request: Request) -> RobotParser | None:
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(pending, Deferred):
            return await super().robot_parser(request)
        waiter: Deferred[RobotParser | None] = Deferred()

        def hand_on(parser: RobotParser | None) -> RobotParser | None:
            waiter.callback(parser)
            return parser

        pending.addCallback(hand_on)
        return await maybe_deferred_to_future(waiter)

"""User-Agent that names the crawler and how to reach its operator."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler


class ContactUserAgentMiddleware:
    """Sets ``User-Agent`` from ``USER_AGENT`` plus ``USER_AGENT_CONTACT``.

    Site operators who see unusual traffic look at the User-Agent first; a
    contact in it lets them write to the operator instead of blocking the
    crawler. A spider's ``user_agent`` attribute or a request's own header win.
    """

    def __init__(self, user_agent: str):
        self.user_agent = user_agent.encode()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawl_user_agent(crawler))

    def process_request(self, request: Request) -> None:
        request.headers.setdefault(b"User-Agent", self.user_agent)


def crawl_user_agent(crawler: Crawler) -> str:
    """The User-Agent a crawl sends: the spider's own, else ``USER_AGENT`` with ``(+USER_AGENT_CONTACT)``."""
    user_agent = crawler.settings.get("USER_AGENT")
    contact = crawler.settings.get("USER_AGENT_CONTACT")
    if contact:
        user_agent = f"{user_agent} (+{contact})"
    return getattr(crawler.spidercls, "user_agent", None) or user_agent

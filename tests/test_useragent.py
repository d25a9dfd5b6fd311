"""The User-Agent names the crawler and, when configured, how to reach its operator."""

import pytest
from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from crawler.components.useragent import ContactUserAgentMiddleware


class NamedSpider(Spider):
    name = "named"


class OwnAgentSpider(Spider):
    name = "own"
    user_agent = "special-agent/1.0"


@pytest.mark.parametrize(("spidercls", "settings", "request_headers", "expected"), [
    (NamedSpider, {"USER_AGENT": "newsarchive/0.1.0"}, {}, b"newsarchive/0.1.0"),
    (NamedSpider, {"USER_AGENT": "newsarchive/0.1.0", "USER_AGENT_CONTACT": "archive@example.org"}, {},
     b"newsarchive/0.1.0 (+archive@example.org)"),
    (OwnAgentSpider, {"USER_AGENT_CONTACT": "archive@example.org"}, {}, b"special-agent/1.0"),
    (NamedSpider, {"USER_AGENT_CONTACT": "archive@example.org"}, {"User-Agent": "mine"}, b"mine"),
])
def test_user_agent(spidercls, settings, request_headers, expected):
    middleware = ContactUserAgentMiddleware.from_crawler(get_crawler(spidercls, settings))
    request = Request("http://127.0.0.1/", headers=request_headers)
    middleware.process_request(request)
    assert request.headers[b"User-Agent"] == expected

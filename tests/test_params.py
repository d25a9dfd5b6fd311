"""Spider arguments: valid values parse, bad ones fail early naming the argument."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from crawler.domain.params import ProfileCrawlParams, SpiderArgumentError

MOSCOW = ZoneInfo("Europe/Moscow")
DEFAULT_URLS = ("https://en.topwar.ru/",)


@pytest.mark.parametrize(("arguments", "expected"), [
    ({}, ProfileCrawlParams(DEFAULT_URLS, None, None)),
    ({"start_urls": "http://127.0.0.1:8080/"}, ProfileCrawlParams(("http://127.0.0.1:8080/",), None, None)),
    ({"start_urls": "http://a.example/, http://b.example/x.html"},
     ProfileCrawlParams(("http://a.example/", "http://b.example/x.html"), None, None)),
    ({"start_urls": ["http://a.example/"]}, ProfileCrawlParams(("http://a.example/",), None, None)),
    ({"max_articles": "25"}, ProfileCrawlParams(DEFAULT_URLS, 25, None)),
    ({"since": "2020-09-13"}, ProfileCrawlParams(DEFAULT_URLS, None, datetime(2020, 9, 13, tzinfo=MOSCOW))),
    ({"since": "2020-09-13T12:00:00+00:00"},
     ProfileCrawlParams(DEFAULT_URLS, None, datetime.fromisoformat("2020-09-13T12:00:00+00:00"))),
])
def test_valid_arguments(arguments, expected):
    assert ProfileCrawlParams.from_arguments(DEFAULT_URLS, MOSCOW, **arguments) == expected


@pytest.mark.parametrize(("arguments", "message"), [
    ({"start_urls": "en.topwar.ru"}, "spider argument start_urls: 'en.topwar.ru' is not an absolute http(s) URL"),
    ({"start_urls": " , "}, "spider argument start_urls: no URL given"),
    ({"start_urls": "ftp://x.example/"},
     "spider argument start_urls: 'ftp://x.example/' is not an absolute http(s) URL"),
    ({"max_articles": "ten"}, "spider argument max_articles: 'ten' is not a whole number"),
    ({"max_articles": "0"}, "spider argument max_articles: must be at least 1, got 0"),
    ({"since": "13.09.2020"}, "spider argument since: '13.09.2020' is not an ISO date like 2020-09-13"),
    ({"sinse": "2020-09-13"}, "spider argument sinse: unknown argument (known: start_urls, max_articles, since, watch_plan)"),
])
def test_bad_arguments_name_the_argument(arguments, message):
    with pytest.raises(SpiderArgumentError) as raised:
        ProfileCrawlParams.from_arguments(DEFAULT_URLS, MOSCOW, **arguments)
    assert str(raised.value) == message

"""What each WARC file's ``warcinfo`` record says about the crawl that wrote it."""

from __future__ import annotations

import dataclasses
import json
import platform
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from crawler import __version__
from crawler.components.jobfolder import job_of
from crawler.components.useragent import crawl_user_agent
from crawler.warc.writer import safe_hostname

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

FORMAT = "WARC File Format 1.1"
CONFORMS_TO = "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
CAPTURE_NOTE = (
    "request and response records hold the exact bytes sent and received over HTTP/1.1 "
    "(request line, status line, header order and case, chunked framing and Content-Encoding "
    "as on the wire; over HTTPS the bytes inside TLS); nothing is reconstructed; "
    "1xx interim responses are not stored; identical payloads are stored once and "
    "then as identical-payload-digest revisit records"
)
_SCRAPY_ATTRIBUTES = {"crawler", "settings", "custom_settings", "name"}
_MAX_LISTED = 50


def _version_of(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"


def software() -> str:
    """This program and the libraries that shape its output, with versions."""
    parts = [f"newsarchive/{__version__}"]
    parts += [f"{name}/{_version_of(name)}" for name in ("Scrapy", "Twisted", "warcio")]
    parts.append(f"Python/{platform.python_version()}")
    return " ".join(parts)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(item) for item in list(value)[:_MAX_LISTED]]
        return [*items, f"... {len(value) - _MAX_LISTED} more"] if len(value) > _MAX_LISTED else items
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def spider_arguments(spider: Spider) -> str:
    """The spider's arguments as it understood them, as JSON.

    Scrapy keeps no copy of the ``-a`` arguments. A spider that validates
    them into a ``params`` dataclass (the project's convention) gives that;
    otherwise they are its public attributes with plain values, which is
    where Scrapy puts them. Long lists are cut at 50 items.
    """
    params = getattr(spider, "params", None)
    if dataclasses.is_dataclass(params) and not isinstance(params, type):
        arguments = _plain(params)
    else:
        arguments = {
            name: _plain(value)
            for name, value in vars(spider).items()
            if not name.startswith("_")
            and name not in _SCRAPY_ATTRIBUTES
            and isinstance(value, (str, int, float, bool, list, tuple))
        }
    return json.dumps(arguments, ensure_ascii=False, sort_keys=True)


def warcinfo_fields(crawler: Crawler, operator: str) -> list[tuple[str, str]]:
    """The ``name: value`` lines of the crawl's warcinfo records."""
    settings = crawler.settings
    spider = crawler.spider
    fields = [
        ("software", software()),
        ("format", FORMAT),
        ("conformsTo", CONFORMS_TO),
        ("hostname", safe_hostname()),
    ]
    if operator:
        fields.append(("operator", operator))
    fields += [
        ("robots", "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore"),
        ("isPartOf", job_of(crawler).id),
        ("http-header-user-agent", crawl_user_agent(crawler)),
        ("spider", crawler.spidercls.name),
    ]
    if spider is not None:
        fields.append(("spider-arguments", spider_arguments(spider)))
    fields.append(("description", CAPTURE_NOTE))
    return fields

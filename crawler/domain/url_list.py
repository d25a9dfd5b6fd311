"""The ``urls`` spider's arguments: which URLs an archivist asked for, checked before any request.

``urls=U1,U2`` splits only at commas that start a new http(s) URL, so a comma
inside a URL's query stays part of it. ``urls_file=list.txt`` holds one URL
per line (UTF-8); blank lines and lines starting with ``#`` are ignored.
Both may be given. Repeats are fetched once. Any unreadable argument fails
with a :class:`~crawler.domain.params.SpiderArgumentError` naming it (and the line).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from crawler.domain.params import SpiderArgumentError, is_http_url

logger = logging.getLogger(__name__)

_URL_SEPARATOR = re.compile(r"\s*,\s*(?=https?://)", re.IGNORECASE)


def requested_urls(urls: str | None = None, urls_file: str | None = None, **unknown: object) -> list[str]:
    """The URLs to fetch, in the order given, each once."""
    if unknown:
        raise SpiderArgumentError(", ".join(sorted(unknown)), "unknown argument (known: urls, urls_file)")
    if not urls and not urls_file:
        raise SpiderArgumentError("urls", "no URLs given: pass urls=URL1,URL2 or urls_file=FILE")
    found: list[str] = []
    if urls:
        found += [_checked("urls", part) for part in _URL_SEPARATOR.split(urls.strip().strip(",")) if part]
    if urls_file:
        found += _read_file(urls_file)
    unique = list(dict.fromkeys(found))
    if len(unique) < len(found):
        logger.info("%d repeated URL(s) will be fetched once", len(found) - len(unique))
    return unique


def _read_file(path: str) -> list[str]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as e:
        raise SpiderArgumentError("urls_file", f"cannot read {path!r}: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise SpiderArgumentError("urls_file", f"{path!r} is not UTF-8 text ({e.reason} at byte {e.start})") from e
    urls = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            urls.append(_checked(f"urls_file (line {number})", line))
    if not urls:
        raise SpiderArgumentError("urls_file", f"{path!r} lists no URLs")
    return urls


def _checked(argument: str, url: str) -> str:
    url = url.strip()
    if not is_http_url(url):
        raise SpiderArgumentError(argument, f"{url!r} is not an absolute http(s) URL")
    return url

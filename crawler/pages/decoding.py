"""A page's text from its bytes: the one decoding policy of every page class.

Scrapy decodes by the declared charset (HTTP header, BOM, ``<meta>``) and,
when there is none, tries ASCII, UTF-8 and then cp1252, which turns an
undeclared windows-1251 or Shift-JIS page into mojibake without a word. Here a
declared charset is trusted (bytes invalid in it are replaced, as Scrapy does,
and the item says so); an undeclared page is UTF-8 if it decodes as UTF-8,
else the site's legacy encoding when its profile names one (old DLE sites
are windows-1251), else charset_normalizer's best guess — and the item says
which.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

import charset_normalizer
from scrapy.http import TextResponse
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom


@dataclass
class DecodedPage:
    """The page's text, the encoding used, and warnings for the item."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode_page(response: TextResponse, fallback_encoding: str | None = None) -> DecodedPage:
    """Decode *response*'s body, trusting a declared charset; *fallback_encoding*: the site's legacy one, if known."""
    body = response.body
    if declared_encoding(response):
        encoding = response.encoding
        try:
            body.decode(encoding)
        except UnicodeDecodeError as e:
            warning = (f"bytes not valid in the declared encoding {encoding} (first at byte {e.start}) "
                       "were replaced with U+FFFD")
            return DecodedPage(response.text, encoding, [warning])
        return DecodedPage(response.text, encoding)
    try:
        return DecodedPage(body.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if fallback_encoding:
        warning = f"page declares no charset and is not UTF-8: decoded as {fallback_encoding}"
        return DecodedPage(body.decode(fallback_encoding, errors="replace"), fallback_encoding, [warning])
    best = charset_normalizer.from_bytes(body).best()
    encoding = codecs.lookup(best.encoding).name if best is not None else "cp1252"
    warning = f"the page declares no character encoding; decoded as {encoding} (a guess)"
    return DecodedPage(body.decode(encoding, errors="replace"), encoding, [warning])


def declared_encoding(response: TextResponse) -> str | None:
    """The charset the page declares: byte-order mark, Content-Type header or ``<meta>``; None if none."""
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
    bom, _length = read_bom(response.body)
    return bom or http_content_type_encoding(content_type) or html_body_declared_encoding(response.body)

"""What happened to a page on the wire, as flags on its response and the warnings page objects give for them.

The download layer sees what a page object cannot: a body cut short, bytes a
server sent past the end of the response. It says so with a flag on the
response (Scrapy's ``response.flags``, a list of strings shown in its log
lines); page objects read the flags with :func:`transfer_warnings`, so the
item carries a warning and the line says what the archive holds.
"""

from __future__ import annotations

from collections.abc import Iterable

# Scrapy's own flag for a body that ended before its announced length (DOWNLOAD_FAIL_ON_DATALOSS off,
# or a record archived as truncated, replayed).
DATALOSS_FLAG = "dataloss"
EXCESS_FLAG_PREFIX = "excess_bytes="

CUT_SHORT_WARNING = "the download was cut short (fewer bytes than announced); the page may be incomplete"


def excess_flag(extra: int, body: int) -> str:
    """The flag for a response followed by *extra* bytes past the end of its *body* bytes."""
    return f"{EXCESS_FLAG_PREFIX}{extra}/{body}"


def transfer_warnings(flags: Iterable[str]) -> list[str]:
    """A warning for each thing the download layer flagged on a response."""
    warnings = []
    for flag in flags:
        if flag == DATALOSS_FLAG:
            warnings.append(CUT_SHORT_WARNING)
        elif flag.startswith(EXCESS_FLAG_PREFIX):
            extra, _, body = flag.removeprefix(EXCESS_FLAG_PREFIX).partition("/")
            warnings.append(f"the server sent {extra} bytes past the end of the response (longer than its "
                            f"Content-Length, {body} bytes): not read as part of the page, kept in a WARC "
                            "record of their own")
    return warnings

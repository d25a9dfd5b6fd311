"""WARC 1.1 records as pure functions: HTTP bytes, ids and dates in, record bytes out.

The HTTP message is stored as the block unchanged, so a record holds exactly
what crossed the wire. Digests follow what ``warcio check`` and ``fastwarc
check`` verify: the block digest covers the whole block; the payload digest
covers the entity as transferred, i.e. everything after the blank line that
ends the HTTP head, with chunked framing and ``Content-Encoding`` kept.
Where the head ends is decided as warcio decides it (the first line, after
the status line, that is empty once trailing whitespace is stripped), so
both digests verify in the tools that recompute them.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from warcio.statusandheaders import StatusAndHeadersParser
from warcio.timeutils import datetime_to_iso_date

WARC_VERSION = "WARC/1.1"
REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
HTTP_REQUEST_TYPE = "application/http; msgtype=request"
HTTP_RESPONSE_TYPE = "application/http; msgtype=response"
WARC_FIELDS_TYPE = "application/warc-fields"
EXCESS_DESCRIPTION = ("bytes the server sent after the end of the response (past its Content-Length); not part "
                      "of the response record")


@dataclass(frozen=True)
class PairFields:
    """The WARC fields that a request record and its response record share or cross-link."""

    record_id: str
    date: datetime
    target_uri: str
    warcinfo_id: str
    concurrent_to: str
    ip_address: str | None = None


@dataclass(frozen=True)
class Original:
    """The earlier response record a revisit record refers to."""

    record_id: str
    target_uri: str
    date: datetime


def make_record_id() -> str:
    """A fresh ``<urn:uuid:…>`` record id."""
    return StatusAndHeadersParser.make_warc_id()


def warc_date(moment: datetime) -> str:
    """*moment* as a WARC/1.1 date: UTC, with microseconds when it has any."""
    utc = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return datetime_to_iso_date(utc, use_micros=True)


def sha1_digest(data: bytes | memoryview) -> str:
    """``sha1:`` plus the base32 SHA-1 of *data*, the form WARC tools expect."""
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def http_head_length(message: bytes) -> int:
    """Bytes of *message* up to and including the blank line that ends its HTTP head.

    A message with no blank line is all head (and has an empty payload).
    """
    end = message.find(b"\n") + 1 or len(message)
    if not message[:end].rstrip():
        return end
    while end < len(message):
        line_end = message.find(b"\n", end) + 1 or len(message)
        if not message[end:line_end].rstrip():
            return line_end
        end = line_end
    return len(message)


def payload_digest(http_message: bytes) -> str:
    """The WARC-Payload-Digest of an HTTP message: the SHA-1 of what follows its head."""
    return sha1_digest(memoryview(http_message)[http_head_length(http_message) :])


def payload_length(http_message: bytes) -> int:
    """How many bytes of *http_message* follow its head."""
    return len(http_message) - http_head_length(http_message)


def interim_responses_length(http_response: bytes) -> int:
    """Bytes taken by 1xx interim responses (``100 Continue``, ``103 Early Hints``) at the start."""
    start = 0
    while http_response[start + 9 : start + 10] == b"1" and http_response.startswith(b"HTTP/", start):
        start += http_head_length(http_response[start:])
    return start


def warc_record(fields: Sequence[tuple[str, str]], block: bytes) -> bytes:
    """One uncompressed WARC/1.1 record: version line, *fields*, Content-Length, block, CRLF CRLF."""
    lines = [WARC_VERSION]
    for name, value in fields:
        if "\r" in value or "\n" in value:
            raise ValueError(f"WARC field {name} must be one line, got {value!r}")
        lines.append(f"{name}: {value}")
    lines.append(f"Content-Length: {len(block)}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
    return b"".join((head, block, b"\r\n\r\n"))


def _pair_fields(kind: str, pair: PairFields) -> list[tuple[str, str]]:
    fields = [
        ("WARC-Type", kind),
        ("WARC-Record-ID", pair.record_id),
        ("WARC-Date", warc_date(pair.date)),
        ("WARC-Target-URI", pair.target_uri),
    ]
    if pair.ip_address:
        fields.append(("WARC-IP-Address", pair.ip_address))
    fields += [
        ("WARC-Concurrent-To", pair.concurrent_to),
        ("WARC-Warcinfo-ID", pair.warcinfo_id),
    ]
    return fields


def response_record(pair: PairFields, http_response: bytes, truncated: str | None = None,
                    payload: str | None = None) -> bytes:
    """A ``response`` record whose block is *http_response* exactly as received.

    *truncated* is a ``WARC-Truncated`` reason (``disconnect``, ``length``…)
    when the body did not arrive whole; *payload* is the payload digest, if
    the caller has it already.
    """
    fields = _pair_fields("response", pair)
    fields += [
        ("Content-Type", HTTP_RESPONSE_TYPE),
        ("WARC-Block-Digest", sha1_digest(http_response)),
        ("WARC-Payload-Digest", payload or payload_digest(http_response)),
    ]
    if truncated:
        fields.append(("WARC-Truncated", truncated))
    return warc_record(fields, http_response)


def request_record(pair: PairFields, http_request: bytes) -> bytes:
    """A ``request`` record whose block is *http_request* exactly as sent."""
    fields = _pair_fields("request", pair)
    fields += [
        ("Content-Type", HTTP_REQUEST_TYPE),
        ("WARC-Block-Digest", sha1_digest(http_request)),
        ("WARC-Payload-Digest", payload_digest(http_request)),
    ]
    return warc_record(fields, http_request)


def revisit_record(pair: PairFields, http_response: bytes, original: Original, payload: str | None = None) -> bytes:
    """A ``revisit`` record (identical payload digest): the response's head as received, no body.

    *payload* is the payload digest, if the caller has it already.
    """
    head = http_response[: http_head_length(http_response)]
    fields = _pair_fields("revisit", pair)
    fields += [
        ("Content-Type", HTTP_RESPONSE_TYPE),
        ("WARC-Profile", REVISIT_PROFILE),
        ("WARC-Refers-To", original.record_id),
        ("WARC-Refers-To-Target-URI", original.target_uri),
        ("WARC-Refers-To-Date", warc_date(original.date)),
        ("WARC-Block-Digest", sha1_digest(head)),
        ("WARC-Payload-Digest", payload or payload_digest(http_response)),
    ]
    return warc_record(fields, head)


def excess_record(record_id: str, date: datetime, target_uri: str, warcinfo_id: str, response_id: str,
                  excess: bytes) -> bytes:
    """A ``metadata`` record of the bytes a server sent past the end of the response *response_id*.

    They are no part of the HTTP response (its ``Content-Length`` ended it), so
    they stay out of the ``response`` record, whose payload digest and replay
    must be the response's; WARC 1.1 leaves "content … to accompany a
    harvested resource" to ``metadata`` records, tied to the capture event by
    ``WARC-Concurrent-To`` and to the record they describe by ``WARC-Refers-To``.
    The block is ``application/warc-fields`` (what it is, how many bytes, the
    bytes in base64): self-describing, and left out of CDX indexes by the tools
    that build them (cdxj-indexer, pywb), so replay of the URL stays the response's.
    """
    block = (f"description: {EXCESS_DESCRIPTION}\r\n"
             f"length: {len(excess)}\r\n"
             f"bytes-base64: {base64.b64encode(excess).decode('ascii')}\r\n").encode("utf-8")
    fields = [
        ("WARC-Type", "metadata"),
        ("WARC-Record-ID", record_id),
        ("WARC-Date", warc_date(date)),
        ("WARC-Target-URI", target_uri),
        ("WARC-Concurrent-To", response_id),
        ("WARC-Refers-To", response_id),
        ("WARC-Warcinfo-ID", warcinfo_id),
        ("Content-Type", WARC_FIELDS_TYPE),
        ("WARC-Block-Digest", sha1_digest(block)),
    ]
    return warc_record(fields, block)


def warcinfo_record(record_id: str, date: datetime, filename: str, info: Sequence[tuple[str, str]]) -> bytes:
    """The ``warcinfo`` record that opens a file: *info* as ``name: value`` lines."""
    for name, value in info:
        if "\r" in value or "\n" in value:
            raise ValueError(f"warcinfo field {name} must be one line, got {value!r}")
    block = "".join(f"{name}: {value}\r\n" for name, value in info).encode("utf-8")
    fields = [
        ("WARC-Type", "warcinfo"),
        ("WARC-Record-ID", record_id),
        ("WARC-Date", warc_date(date)),
        ("WARC-Filename", filename),
        ("Content-Type", WARC_FIELDS_TYPE),
        ("WARC-Block-Digest", sha1_digest(block)),
    ]
    return warc_record(fields, block)

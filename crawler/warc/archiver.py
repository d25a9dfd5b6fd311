"""From one captured HTTP exchange to a request/response (or revisit) pair on disk.

Runs in the WARC writer process (:mod:`crawler.warc.worker`): digests, the
dedup lookup, gzip and the file write all happen here, on another core than
the crawl's.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from crawler.warc.dedup import DigestIndex
from crawler.warc.records import (
    Original,
    PairFields,
    excess_record,
    interim_responses_length,
    make_record_id,
    payload_digest,
    payload_length,
    request_record,
    response_record,
    revisit_record,
)
from crawler.warc.writer import WarcFileWriter

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Exchange:
    """One HTTP exchange as captured on the wire, ready to be archived."""

    target_uri: str
    status: int
    sent_at: datetime
    ip_address: str | None
    request: bytes
    response: bytes
    truncated: str | None = None
    excess: bytes = b""  # received past the end of the response (more than its Content-Length)


@dataclass(frozen=True)
class ArchivedResponse:
    """Where the response (or revisit) record of an exchange landed."""

    record_id: str
    warc_date: datetime
    filename: str
    offset: int
    length: int
    revisit: bool
    bytes_written: int
    interim_bytes_dropped: int


class Archiver:
    """Writes exchanges as WARC record pairs, turning repeated payloads into revisits."""

    def __init__(self, files: WarcFileWriter, index: DigestIndex | None):
        self.files = files
        self.index = index

    def archive(self, exchange: Exchange) -> ArchivedResponse:
        # Interim 1xx responses precede the real one on the wire; a response
        # record holds one HTTP response, so they are left out.
        interim = interim_responses_length(exchange.response)
        http_response = exchange.response[interim:]
        digest = payload_digest(http_response)
        candidate = self._dedup_candidate(exchange, http_response)
        original = self.index.lookup(digest) if candidate and self.index is not None else None
        request_id, response_id = make_record_id(), make_record_id()
        warcinfo_id = self.files.warcinfo_id
        response_pair = _pair_fields(exchange, warcinfo_id, response_id, request_id)
        request_pair = _pair_fields(exchange, warcinfo_id, request_id, response_id)
        if original is None:
            response = response_record(response_pair, http_response, exchange.truncated, payload=digest)
        else:
            response = revisit_record(response_pair, http_response, original, payload=digest)
        request = request_record(request_pair, exchange.request)
        records = [request, response]
        if exchange.excess:
            records.append(excess_record(make_record_id(), exchange.sent_at, exchange.target_uri, warcinfo_id,
                                         response_id, exchange.excess))
        request_placed, placed, *others = self.files.write_records(records)
        if original is None and candidate and self.index is not None:
            try:
                self.index.add(digest, Original(response_id, exchange.target_uri, exchange.sent_at), placed.filename)
            except sqlite3.Error as e:  # a full disk: the record is written; only a later revisit is lost
                logger.warning("Cannot add %s to the payload digest index (%s): a repeat is archived in full",
                               exchange.target_uri, e)
        return ArchivedResponse(
            record_id=response_id,
            warc_date=exchange.sent_at,
            filename=placed.filename,
            offset=placed.offset,
            length=placed.length,
            revisit=original is not None,
            bytes_written=request_placed.length + placed.length + sum(other.length for other in others),
            interim_bytes_dropped=interim,
        )

    def close(self) -> None:
        self.files.close()
        if self.index is not None:
            self.index.close()

    def _dedup_candidate(self, exchange: Exchange, http_response: bytes) -> bool:
        return (
            self.index is not None
            and 200 <= exchange.status < 300
            and exchange.truncated is None
            and payload_length(http_response) > 0
        )


def _pair_fields(exchange: Exchange, warcinfo_id: str, record_id: str, concurrent_to: str) -> PairFields:
    return PairFields(
        record_id=record_id,
        date=exchange.sent_at,
        target_uri=exchange.target_uri,
        warcinfo_id=warcinfo_id,
        concurrent_to=concurrent_to,
        ip_address=exchange.ip_address,
    )

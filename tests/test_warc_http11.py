"""The adapter to Scrapy's private HTTP/1.1 internals (crawler/warc/http11.py): it sees the bytes on the wire.

If a Scrapy or Twisted upgrade moves what the adapter subclasses, these tests
fail first, naming what moved; the rest of the WARC tests build on it.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.core.downloader.handlers import http11

from rawhttp import CANNED, running_raw_server

REPO = Path(__file__).resolve().parent.parent


def test_the_private_parts_the_adapter_builds_on_are_there() -> None:
    assert callable(getattr(http11._ScrapyAgent, "_cb_bodyready", None)), "_ScrapyAgent._cb_bodyready moved"
    agent_parameters = set(inspect.signature(http11._ScrapyAgent.__init__).parameters)
    assert {"contextFactory", "bindAddress", "pool", "maxsize", "warnsize", "fail_on_dataloss", "crawler",
            "tls_verbose_logging"} <= agent_parameters
    protocol = http11._LenientHTTP11ClientProtocol
    for name in ("request", "dataReceived", "_finishResponse", "connectionLost"):
        assert callable(getattr(protocol, name, None)), f"the client protocol has no {name}"
    handler_init = inspect.getsource(http11.HTTP11DownloadHandler.__init__)
    for attribute in ("_pool", "_contextFactory", "_bind_address"):
        assert attribute in handler_init, f"HTTP11DownloadHandler no longer sets {attribute}"


@pytest.fixture(scope="module")
def captures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict]]:
    out = tmp_path_factory.mktemp("http11") / "items.json"
    paths = ["/cookies", "/chunked", "/gzip", "/odd-case", "/page?b=2&a=1&q=caf%C3%A9", "/http10"]
    with running_raw_server() as server:
        done = subprocess.run(
            [sys.executable, "-m", "scrapy", "runspider", str(REPO / "tests" / "http11_probe.py"),
             "-a", "urls=" + ",".join(server + path for path in paths), "-O", str(out)],
            cwd=REPO, capture_output=True, text=True, timeout=120,
            env={**os.environ, "PYTHONPATH": str(REPO / "tests")},
        )
        assert done.returncode == 0, done.stderr[-3000:]
        yield {item["url"].removeprefix(server): item for item in json.loads(out.read_text())}


@pytest.mark.parametrize("path", ["/cookies", "/chunked", "/gzip", "/odd-case", "/http10"])
def test_each_response_is_captured_byte_for_byte(captures: dict[str, dict], path: str) -> None:
    item = captures[path]
    assert item["received"].encode("latin-1") == CANNED[path.encode()]
    assert item["ended"] is True
    assert item["peer_ip"] == "127.0.0.1"


def test_the_request_is_captured_as_sent(captures: dict[str, dict]) -> None:
    sent = captures["/page?b=2&a=1&q=caf%C3%A9"]["sent"]
    assert sent.startswith("GET /page?b=2&a=1&q=caf%C3%A9 HTTP/1.1\r\n")
    assert sent.endswith("\r\n\r\n")


def test_kept_alive_connections_give_each_request_its_own_capture(captures: dict[str, dict]) -> None:
    # One request at a time over a kept-alive connection: no capture holds bytes of the next response.
    received = [captures[path]["received"] for path in ("/cookies", "/chunked", "/gzip", "/odd-case")]
    assert [text.count("HTTP/1.1 200") for text in received] == [1, 1, 1, 1]


def test_the_response_scrapy_builds_is_unchanged(captures: dict[str, dict]) -> None:
    assert captures["/chunked"]["body"] == "<html><body>first chunk, then a second one.</body></html\n"
    assert captures["/gzip"]["status"] == 200

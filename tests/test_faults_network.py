"""No network but the sites crawled: the first crawl on a machine reaches for nothing else, nor writes into HOME.

Scrapy's cookie handling asks tldextract whether a cookie's domain is a
public suffix; tldextract's default is to download the Public Suffix List
on first use (and log a long traceback when it cannot). The crawl here runs
as on a fresh machine (empty HOME and cache folders) behind a guard loaded
into every Python process it starts (a ``sitecustomize`` module): a name
lookup or a connection to anything but the loopback is noted in a file and
refused, as a machine without network would. Every per-user folder (caches,
configuration) is left to derive from that empty HOME, which must stay empty:
a crawl writes its archive and nothing else.
"""

from __future__ import annotations

from pathlib import Path

from faultkit import child_env, crawl_args, job_dir, jsonl, newsarchive
from hostile import hostile_server, page, respond, robots
from userfolders import HOME_DERIVED

GUARD = '''
import ipaddress, os, socket

_NOTES = os.environ["NETWORK_GUARD_NOTES"]


def _local(host):
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(what):
    with open(_NOTES, "a") as notes:
        notes.write(what + "\\n")
    raise OSError(101, "Network is unreachable (network guard): " + what)


_getaddrinfo = socket.getaddrinfo


def getaddrinfo(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if not _local(name):
        _refuse(f"lookup {name}")
    return _getaddrinfo(host, *args, **kwargs)


def _guarded(method):
    def connect(self, address, *args):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
            _refuse(f"connect {address[0]}")
        return method(self, address, *args)
    return connect


socket.getaddrinfo = getaddrinfo
socket.socket.connect = _guarded(socket.socket.connect)
socket.socket.connect_ex = _guarded(socket.socket.connect_ex)
'''


def test_guard_refuses_the_internet_and_notes_it(tmp_path):
    notes, env = _guarded_env(tmp_path)
    import subprocess
    import sys

    probe = ("import socket\nfor attempt in (lambda: socket.getaddrinfo('example.org', 80),\n"
             "                lambda: socket.socket().connect(('192.0.2.1', 80))):\n"
             "    try:\n        attempt()\n    except OSError as e:\n        print(e)\n")
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert "network guard" in done.stdout
    assert notes.read_text() == "lookup example.org\nconnect 192.0.2.1\n"


def _guarded_env(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD)
    notes = tmp_path / "network-attempts.txt"
    notes.touch()
    home = tmp_path / "home"
    home.mkdir()
    # The session's redirections (tests/conftest.py) removed: here the user's folders are HOME's.
    env = child_env(HOME=str(home), **dict.fromkeys(HOME_DERIVED), TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS=None,
                    PYTHONPATH=str(guard), NETWORK_GUARD_NOTES=str(notes))
    return notes, env


def test_first_crawl_on_a_fresh_machine_reaches_for_nothing_but_the_site(tmp_path):
    notes, env = _guarded_env(tmp_path)
    home = Path(env["HOME"])
    cookie_page = respond(page("cookie"), extra=("Set-Cookie: session=1; Path=/", "Set-Cookie: pref=a; Domain=127.0.0.1"))
    with hostile_server({"/robots.txt": robots("User-agent: *\nAllow: /\n"), "/cookie.html": cookie_page}) as server:
        done = newsarchive(*crawl_args([server.url + "/cookie.html"], tmp_path / "out"), env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    (line,) = jsonl(job_dir(tmp_path / "out") / "items.jsonl")
    assert line["title"] == "The cookie page"
    assert notes.read_text() == ""
    assert "tldextract" not in done.stderr
    assert sorted(home.rglob("*")) == [], "nothing written into HOME (tldextract's cache among others)"
    assert "Traceback" not in done.stderr

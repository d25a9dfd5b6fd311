"""The files nginx serves from disk: stylesheet, script, avatar, smileys, uploaded photos.

Every uploaded photo and every smiley share one tiny real image each, so
pages' images load without the package carrying a photo archive.
"""

from __future__ import annotations

import functools
from datetime import datetime, timezone
from importlib import resources

from crawler.replica.reply import Reply
from crawler.replica.textbank import banks

SMILEYS = frozenset(banks()["smileys"])
# When the template's files were last changed on disk.
STATIC_MTIME = datetime(2020, 2, 17, 9, 41, 12, tzinfo=timezone.utc).timestamp()


@functools.cache
def _data(name: str) -> bytes:
    return resources.files(__package__).joinpath(f"data/{name}").read_bytes()


STATIC_FILES = {
    "/templates/Military/css/styles.css": ("styles.css", "text/css"),
    "/templates/Military/js/main.js": ("main.js", "application/javascript"),
    "/templates/Military/dleimages/noavatar.png": ("noavatar.png", "image/png"),
    # The other themes' avatars (their stylesheets and scripts are not part of the replica: 404).
    **{f"/templates/{skin}/dleimages/noavatar.png": ("noavatar.png", "image/png")
       for skin in ("Default", "Topwar", "smartphone", "Nova")},
}  # fmt: skip


def _file(name: str, content_type: str) -> Reply:
    return Reply(body=_data(name), content_type=content_type, php=False, last_modified=STATIC_MTIME)


def static_file(path: str) -> Reply | None:
    entry = STATIC_FILES.get(path)
    return None if entry is None else _file(*entry)


def emoticon(host: str, name: str) -> Reply | None:
    return _file("emoticon.gif", "image/gif") if name in SMILEYS else None


def photo(host: str) -> Reply:
    return _file("photo.jpg", "image/jpeg")

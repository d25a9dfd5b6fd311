"""``/__replica__/clock``: read or move the replica's clock over HTTP, for tests and demos.

``GET /__replica__/clock`` answers ``{"anchor": ISO, "now": ISO or null}``
(``now`` is null until the clock is first moved). ``GET`` or ``POST`` with
``now=ISO`` (an ISO 8601 time with an offset, not before the anchor) serves
the site as it stands at that moment from then on (see
:mod:`crawler.replica.timeline`) and answers the same JSON. A bad ``now``
answers ``400`` with ``{"error": ...}``. Not part of the imitated site: the
real one has no such page.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from crawler.replica.reply import Reply

if TYPE_CHECKING:
    from crawler.replica.routes import Router

CLOCK_PATH = "/__replica__/clock"
_JSON = "application/json; charset=utf-8"


def clock_reply(router: Router, args: dict[str, str]) -> Reply:
    """Move the clock to ``args["now"]`` if given; answer where it stands."""
    text = args.get("now")
    if text is not None:
        try:
            now = datetime.fromisoformat(text.strip().replace(" ", "+"))
            if now.tzinfo is None:
                raise ValueError(f"{text!r} has no UTC offset")
            router.move_clock(now)
        except ValueError as e:
            body = json.dumps({"error": f"now: {e}"}).encode()
            return Reply(status=400, body=body, content_type=_JSON, php=False)
    clock = router.content.clock
    body = json.dumps({"anchor": router.base.anchor.isoformat(), "now": clock.isoformat() if clock else None})
    return Reply(body=body.encode(), content_type=_JSON, php=False, headers=[("Cache-Control", "no-store")])

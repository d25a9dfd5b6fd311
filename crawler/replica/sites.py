"""Which database a replica serves: the English Military Review or the Russian site."""

from __future__ import annotations

from datetime import datetime

from crawler.replica.clock import MSK
from crawler.replica.content import DEFAULT_SEED, EARLIEST_ANCHOR, SiteContent, build
from crawler.replica.rusite.content import build as build_russian


def build_site(site: str, seed: int | None, anchor: datetime | None, articles: int) -> SiteContent:
    """The content of *site* (``en`` or ``ru``) for *seed*, as of *anchor* (default: now)."""
    if site == "en":
        return build(seed, anchor, articles)
    anchor = (anchor or datetime.now(MSK)).astimezone(MSK).replace(second=0, microsecond=0)
    if anchor < EARLIEST_ANCHOR:
        raise ValueError(f"the clock anchor {anchor.isoformat()} is earlier than {EARLIEST_ANCHOR.isoformat()}")
    return build_russian(DEFAULT_SEED if seed is None else seed, anchor, articles)

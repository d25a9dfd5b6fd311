"""Links readers paste into comments: an encyclopedia page on the weapon, a video, a channel post, a news story.

DLE turns a pasted address into a link whose text is the address itself;
``[url=...]word[/url]`` gives a word instead. The addresses are made up but
shaped like the real sites' (none of them is on the replica's host).
"""

from __future__ import annotations

import random
import string
import urllib.parse
from datetime import timedelta

from crawler.replica.remarks import Scene, comment_bank
from crawler.replica.textbank import slugify

_VIDEO_ID = string.ascii_letters + string.digits + "-_"


def _digits(rng: random.Random, count: int) -> str:
    return str(rng.randrange(10 ** (count - 1), 10**count))


def _address(rng: random.Random, scene: Scene) -> str:
    kind = rng.choice(["wiki", "video", "video", "channel", "news", "news", "news"])
    if kind == "wiki":
        return "https://en.wikipedia.org/wiki/" + urllib.parse.quote(scene.slots["system"].replace(" ", "_"))
    if kind == "video":
        video = "".join(rng.choice(_VIDEO_ID) for _ in range(11))
        return rng.choice([f"https://www.youtube.com/watch?v={video}", f"https://youtu.be/{video}"])
    if kind == "channel":
        return f"https://t.me/{rng.choice(comment_bank()['telegram_channels'])}/{rng.randint(1000, 99999)}"
    day = scene.posted - timedelta(days=rng.randint(0, 20))
    subject = rng.choice(["deliveries", "tests", "contract", "report"])
    words = f"{scene.slots['system']} {scene.slots['country']} {subject}"
    return rng.choice(comment_bank()["news_sites"]).format(
        date=f"{day:%Y/%m/%d}", date8=f"{day:%Y%m%d}", slug=slugify(words),
        n5=_digits(rng, 5), n6=_digits(rng, 6), n7=_digits(rng, 7), n10=_digits(rng, 10),
    )  # fmt: skip


def link(rng: random.Random, scene: Scene) -> tuple[str, str]:
    """A pasted link: its address, and the text DLE shows for it."""
    href = _address(rng, scene)
    return href, href if rng.random() < 0.75 else rng.choice(comment_bank()["link_words"])

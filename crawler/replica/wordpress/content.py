"""The WordPress replica's content, drawn once from the seed: fixed posts plus one ordinary post every four days.

The calendar is the same for every seed (see the package docs): the seed
changes what ordinary posts say, their time of day, kind, tags, images and
comment trees, never on which days they appear or anything about the fixed
posts of :mod:`crawler.replica.wordpress.fixed`.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from crawler.replica.textbank import Topic, banks, make_topic, slugify, title_for
from crawler.replica.wordpress import fixed
from crawler.replica.wordpress.fixed import AUTHORS, CATEGORIES, KIND_AUTHOR, KIND_CATEGORY, at
from crawler.replica.wordpress.model import (
    ANCHOR,
    MAX_DEPTH,
    Comment,
    Image,
    Post,
    Site,
    StaticPage,
    comment_id,
    post_id,
)
from crawler.replica.wordpress.writer import (
    english_comment,
    english_story,
    german_letter,
    german_story,
    paragraphs_html,
    scene_for,
    texturize,
)

DEFAULT_SEED = 20260312
ORDINARY_POSTS = 40
FIRST_DAY = date(2025, 10, 1)
EVERY_DAYS = 4
KIND_WEIGHTS = {"analysis": 2, "delivery": 2, "diplomacy": 2, "exercise": 2, "naval": 2, "test": 2, "history": 1}
READERS = ("Jonas Becker", "Lena Hoffmann", "Margaret Ellis", "Tom Whitfield", "Kasia W.", "Henrik Dahl",
           "Piotr Zieliński")

Row = tuple[str, "str | None", str, int, "str | None"]


class _Ids:
    """Comment ids, unique site-wide: fixed comments take the first free slot of their minute from 0, others from 5."""

    def __init__(self) -> None:
        self.taken: set[int] = set()

    def take(self, when: datetime, first_slot: int) -> int:
        minute = when
        while True:
            for slot in range(first_slot, 10):
                if (number := comment_id(minute, slot)) not in self.taken:
                    self.taken.add(number)
                    return number
            minute += timedelta(minutes=1)


def build(seed: int | None = None) -> Site:
    """The whole site for *seed* (default :data:`DEFAULT_SEED`)."""
    seed = DEFAULT_SEED if seed is None else seed
    ids = _Ids()
    posts = _fixed_posts(ids) + [_ordinary(seed, number, ids) for number in range(ORDINARY_POSTS)]
    posts.sort(key=lambda post: post.published, reverse=True)
    return Site(
        seed=seed, name="The Meridian Times", tagline="Defence, diplomacy and history",
        posts=posts, pages=_static_pages(), categories=list(CATEGORIES.values()),
        authors=list(AUTHORS.values()), gone_paths=[fixed.GONE],
    )


def _story(key: str, kind: str, year: int, system_group: str | None = None) -> tuple[Topic, str, list[str]]:
    rng = random.Random(f"wp-fixed/{key}")
    topic = make_topic(rng, year, kind, system_group)
    standfirst, paragraphs = english_story(rng, topic)
    return topic, standfirst, paragraphs


def _post(slug: str, title: str, author: str, category: str, when: str, story: tuple[Topic, str, list[str]] | None,
          **extra: object) -> Post:
    published = at(when)
    _, standfirst, paragraphs = story if story else (None, None, [])
    return Post(id=post_id(published.date(), 2), slug=slug, title=title, author=AUTHORS[author],
                category=CATEGORIES[category], published=published, modified=published + timedelta(minutes=25),
                standfirst=standfirst, paragraphs=[f"<p>{texturize(p)}</p>" for p in paragraphs], **extra)


def _fixed_posts(ids: _Ids) -> list[Post]:
    multi_story = _story("multi", "analysis", 2026, "air_defence")
    multi = _post("the-long-road-to-a-european-air-defence-shield", "The long road to a European air defence shield",
                  "helen-carter", "defence", "2026-03-05 10:12", multi_story,
                  tags=["Air defence", "Germany", "NATO", "Poland"])
    multi.image = Image(post_id(multi.published.date(), 3), "patriot-launcher-at-dawn", "Patriot launcher at dawn",
                        "A Patriot launcher of the German air force at dawn. Photo: Jan Kowalski",
                        multi.published - timedelta(minutes=40), multi.path)
    _comments(multi, fixed.MULTI_COMMENTS, ids, multi_story)

    utc_story = _story("utc", "naval", 2026)
    utc = _post("night-vote-in-the-bundestag-clears-the-way-for-new-frigates",
                "Night vote in the Bundestag clears the way for new frigates", "tomasz-nowak", "industry",
                "2026-02-01 00:40", utc_story, tags=["Bundestag", "Frigates", "Germany"])
    _comments(utc, fixed.UTC_COMMENTS, ids, utc_story)
    title, url, minutes = fixed.UTC_PINGBACK
    when = utc.published + timedelta(minutes=minutes)
    utc.comments.append(Comment(ids.take(when, 0), title, when, "", author_url=url, pingback=True))

    renamed_story = _story("renamed", "naval", 2026)
    renamed = _post("frigate-sea-trials-delayed-until-spring", "Frigate sea trials delayed until spring",
                    "anna-lindqvist", "defence", "2026-01-20 14:05", renamed_story,
                    tags=["Frigates", "Shipbuilding"], old_slugs=("frigate-trials-delayed",))
    _comments(renamed, fixed.RENAMED_COMMENTS, ids, renamed_story)

    history_story = _story("history", "history", 2025)
    history = _post("from-the-archive-the-arctic-convoys-of-1942", "From the archive: the Arctic convoys of 1942",
                    "anna-lindqvist", "history", "2025-10-14 11:00", history_story,
                    tags=["Arctic convoys", "Second World War"], noindex=True)
    _comments(history, fixed.HISTORY_COMMENTS, ids, history_story)

    forum = _post("readers-forum-should-conscription-return", "Readers' forum: should conscription return?",
                  "marcus-reed", "community", "2026-02-12 12:00", _story("forum", "analysis", 2026),
                  tags=["Conscription", "Germany"], discussion="forum", schema_type="BlogPosting")
    _comments(forum, fixed.FORUM, ids, _story("forum", "analysis", 2026), markup="lines")

    posts = [
        _post("live-coastal-air-defence-drill-under-way-off-rostock",
              "Live: coastal air defence drill under way off Rostock", "marcus-reed", "live", "2026-03-12 08:50",
              _story("live", "exercise", 2026, "air_defence"), tags=["Air defence", "Baltic Sea"]),
        _post("partner-content-how-shipyards-are-training-the-next-generation-of-welders",
              "Partner content: how shipyards are training the next generation of welders", "partner-desk",
              "partner-content", "2026-03-09 16:00", _story("partner", "delivery", 2026), noindex=True,
              schema_type="Article"),
        _post("correction-the-range-of-the-iris-t-slm", "Correction: the range of the IRIS-T SLM", "marcus-reed",
              "corrections", "2026-02-27 09:15", _story("correction", "test", 2026, "air_defence"),
              schema_type="Article"),
        multi, utc, renamed, history, forum, *_german_posts(ids),
        _post("the-baltic-sea-cables-a-dossier", "The Baltic Sea cables: a dossier", "anna-lindqvist", "analysis",
              "2025-12-03 09:00", _story("dossier", "diplomacy", 2025), post_type="dossier", dated=False,
              schema_type="Article"),
    ]
    dossier = posts[-1]
    dossier.modified = at("2026-03-08 17:20")
    return posts


def _german_posts(ids: _Ids) -> list[Post]:
    made = []
    for slug, title, when, letters in (
        ("warum-die-bundeswehr-mehr-als-geld-braucht", "Warum die Bundeswehr mehr als Geld braucht",
         "2026-02-24 18:00", fixed.LETTERS),
        ("die-wehrpflicht-ist-keine-antwort", "Die Wehrpflicht ist keine Antwort", "2026-01-13 07:30",
         fixed.LETTERS_SHORT),
    ):
        rng = random.Random(f"wp-fixed/{slug}")
        paragraphs = german_story(rng)
        post = _post(slug, title, "katharina-vogel", "meinung", when, None, tags=["Bundeswehr", "Wehrpflicht"],
                     discussion="leserbrief", schema_type=["Article", "OpinionNewsArticle"])
        post.standfirst = paragraphs[0].split(". ")[0] + "."
        post.paragraphs = [f"<p>{texturize(p)}</p>" for p in paragraphs]
        _comments(post, letters, ids, None, markup="lines")
        made.append(post)
    return made


def _comments(post: Post, rows: tuple[Row, ...], ids: _Ids, story: tuple[Topic, str, list[str]] | None,
              markup: str = "paragraphs") -> None:
    """The comments of a table (see :mod:`crawler.replica.wordpress.fixed`) on *post*."""
    by_ref: dict[str, Comment] = {}
    for ref, parent_ref, author, minutes, text in rows:
        when = post.published + timedelta(minutes=minutes)
        parent = by_ref[parent_ref] if parent_ref else None
        number = ids.take(when, 0)
        rng = random.Random(f"wp-comment/{number}")
        if text is not None:
            paragraphs = text.split("\n\n") if markup == "paragraphs" else [text]
        elif story is None:
            paragraphs = german_letter(rng)
        else:
            topic, lead, _ = story
            scene = scene_for(topic, post.published, post.author.name, lead, author,
                              parent.author if parent else None)
            paragraphs = english_comment(rng, scene)
        by_ref[ref] = _add(post, Comment(number, author, when, _markup(paragraphs, markup), parent,
                                         author_url=fixed.AUTHOR_URLS.get(author),
                                         by_post_author=author == post.author.name))


def _markup(paragraphs: list[str], markup: str) -> str:
    if markup == "paragraphs":
        return paragraphs_html(paragraphs)
    # Letters and forum posts: text straight in the element, lines and paragraphs broken with <br>.
    return "<br>\n<br>\n".join("<br>\n".join(texturize(line) for line in p.split("\n")) for p in paragraphs)


def _add(post: Post, comment: Comment) -> Comment:
    post.comments.append(comment)
    if comment.parent is not None:
        comment.parent.children.append(comment)
    post.comments.sort(key=lambda c: c.when)
    return comment


def _ordinary(seed: int, number: int, ids: _Ids) -> Post:
    rng = random.Random(f"{seed}/post/{number}")
    day = FIRST_DAY + timedelta(days=EVERY_DAYS * number)
    published = at(f"{day} 07:00") + timedelta(minutes=rng.randint(0, 13 * 60))
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    topic = make_topic(rng, day.year, kind)
    title = title_for(rng, topic)
    standfirst, paragraphs = english_story(rng, topic)
    post = Post(id=post_id(day, 0), slug=slugify(title), title=title, author=AUTHORS[KIND_AUTHOR[kind]],
                category=CATEGORIES[KIND_CATEGORY[kind]], published=published,
                modified=min(published + timedelta(minutes=rng.randint(5, 2880)), ANCHOR),
                standfirst=standfirst, paragraphs=[f"<p>{texturize(p)}</p>" for p in paragraphs],
                tags=list(topic.tags))
    if rng.random() < 0.7:
        word = max(post.slug.split("-"), key=len)
        post.image = Image(post_id(day, 1), f"{word}-{day:%m%d}", topic.slots["system"], f"{title}. Photo: archive",
                           published - timedelta(minutes=rng.randint(10, 90)), post.path)
    _ordinary_comments(rng, post, topic, standfirst, ids)
    return post


def _ordinary_comments(rng: random.Random, post: Post, topic: Topic, lead: str, ids: _Ids) -> None:
    if rng.random() < 0.3:
        return
    readers = [*banks()["nicknames"][:40], *READERS]
    for _ in range(rng.randint(1, 13)):
        thread: list[Comment] = []
        when = post.published + timedelta(minutes=3 + int(rng.expovariate(1 / 360)))
        for reply in range(rng.choice([0, 0, 0, 0, 1, 1, 1, 2, 2, 3]) + 1):
            parent = rng.choice([c for c in thread if c.depth < MAX_DEPTH - 1]) if reply else None
            if parent is not None:
                when = parent.when + timedelta(minutes=2 + int(rng.expovariate(1 / 90)))
            author = post.author.name if parent and rng.random() < 0.1 else rng.choice(readers)
            if when > ANCHOR - timedelta(minutes=5) or (parent and author == parent.author):
                continue
            number = ids.take(when, 5)
            scene = scene_for(topic, post.published, post.author.name, lead, author, parent.author if parent else None)
            text = paragraphs_html(english_comment(random.Random(f"wp-comment/{number}"), scene))
            thread.append(_add(post, Comment(number, author, when, text, parent,
                                             by_post_author=author == post.author.name)))


def _static_pages() -> list[StaticPage]:
    installed = at("2025-09-01 12:00")
    about = [
        "The Meridian Times is an independent online newspaper about defence, diplomacy and military history, "
        "founded in 2025 by a group of journalists from Hamburg, Gdańsk and Gothenburg.",
        "We report on armed forces, alliances and the defence industry around the Baltic Sea and beyond. Our "
        "correspondents have covered NATO summits, naval exercises and arms fairs for two decades, and we "
        "publish a weekly commentary in German.",
        "We are funded by our readers and by clearly marked partner content. Partner content is written by our "
        "commercial team, never by our newsroom, and is labelled as such above the headline.",
        "Corrections are published at the foot of the article they concern. If you believe we got something "
        "wrong, write to the editors; we answer every message within a week, and we say so when we were wrong.",
    ]
    privacy = [
        "This privacy policy explains which personal data this website collects, why, and for how long.",
        "When visitors leave comments on the site we collect the data shown in the comments form, and also the "
        "visitor's IP address and browser user agent string to help spam detection. An anonymized string "
        "created from your email address (also called a hash) may be provided to the Gravatar service.",
        "If you leave a comment, the comment and its metadata are retained indefinitely, so that we can "
        "recognize and approve any follow-up comments automatically instead of holding them in a moderation "
        "queue. Visitor comments may be checked through an automated spam detection service.",
        "If you have an account on this site, or have left comments, you can request to receive an exported "
        "file of the personal data we hold about you, or request that we erase any personal data we hold.",
    ]
    contact = ["Questions, tips or corrections? Use the form below, or write to the newsroom."]
    return [
        StaticPage(2, "about", "About us", about, installed, at("2026-01-10 09:00")),
        StaticPage(3, "privacy-policy", "Privacy Policy", privacy, installed, at("2025-09-02 10:00")),
        StaticPage(12, "contact", "Contact", contact, installed, at("2025-11-05 15:30"), contact_form=True),
    ]

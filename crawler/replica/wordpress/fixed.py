"""The posts, people and pages of the WordPress replica that are the same for every seed.

The tests name them; the package docstring lists them with their quirks.
Comment trees are written as tables: ``(ref, parent ref, author, minutes
after the post was published, text)``; a text of ``None`` is written from
the phrase grammar, seeded by the comment's id (so it does not depend on the
site's seed either).
"""

from __future__ import annotations

from datetime import datetime

from crawler.replica.wordpress.model import TZ, Category, Person

AUTHORS = {person.slug: person for person in (
    Person("helen-carter", "Helen Carter", "Helen Carter is the defence correspondent of The Meridian Times."),
    Person("marcus-reed", "Marcus Reed", "Marcus Reed edits the news desk."),
    Person("anna-lindqvist", "Anna Lindqvist", "Anna Lindqvist covers the Nordic countries and the Baltic Sea."),
    Person("tomasz-nowak", "Tomasz Nowak", "Tomasz Nowak writes about the defence industry."),
    Person("katharina-vogel", "Katharina Vogel", "Katharina Vogel schreibt Kommentare für die Meinungsseite."),
    Person("partner-desk", "Partner Desk", "Content produced with our commercial partners."),
)}  # fmt: skip

CATEGORIES = {category.slug: category for category in (
    Category("world", "World", "Diplomacy, alliances and conflicts."),
    Category("defence", "Defence", "Armed forces, exercises and weapons trials."),
    Category("industry", "Industry", "Shipyards, factories and contracts."),
    Category("analysis", "Analysis", "Longer reads on what the news means."),
    Category("history", "History", "From the archive and the history books."),
    Category("meinung", "Meinung", "Kommentare und Leserbriefe auf Deutsch.", language="de-DE"),
    Category("community", "Community", "Readers' forums and discussions."),
    # Hidden by a category-excluder plugin: in no menu, not on the home page, not in the main feeds.
    Category("live", "Live", "Live coverage.", in_menu=False, on_home=False, in_feeds=False),
    # Corrections appear only under their own (unlinked) category and in the sitemaps.
    Category("corrections", "Corrections", "Corrections and clarifications.", in_menu=False, on_home=False,
             in_feeds=False),
    # Not in any menu or on the home page, but (as the plugin is set up) still in the main feeds.
    Category("partner-content", "Partner content", "Sponsored.", in_menu=False, on_home=False),
)}  # fmt: skip

# Which category an ordinary story of each kind (crawler.replica.textbank) goes to, and who writes it.
KIND_CATEGORY = {"analysis": "analysis", "delivery": "industry", "diplomacy": "world", "exercise": "defence",
                 "naval": "defence", "test": "defence", "history": "history"}
KIND_AUTHOR = {"analysis": "helen-carter", "delivery": "tomasz-nowak", "diplomacy": "anna-lindqvist",
               "exercise": "marcus-reed", "naval": "anna-lindqvist", "test": "helen-carter",
               "history": "anna-lindqvist"}


def at(text: str) -> datetime:
    """A wall-clock time in the site's timezone, ``2026-03-05 10:12``."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


# Deleted after Yoast cached the post sitemap, which still lists it (with this lastmod): 404 now.
GONE = ("/2025/12/02/minister-visits-the-naval-base-in-kiel/", at("2025-12-02 10:00"))

# The post with three comment pages: 25 threads, 41 comments, a chain five levels deep (thread 4).
MULTI_COMMENTS = (
    ("t1", None, "Jonas Becker", 9,
     "Finally someone says it plainly: without common procurement there will be no common shield."),
    ("t1r1", "t1", "Helen Carter", 40,
     "Thank you, Jonas. The procurement question will be the subject of a follow-up piece next week."),
    ("t2", None, "Old_Sapper", 15, None),
    ("t3", None, "Piotr Zieliński", 22, None),
    ("t3r1", "t3", "Siberian_Bear", 35, None),
    ("t3r2", "t3r1", "Piotr Zieliński", 61, None),
    ("t4", None, "Mavrikiy", 30, None),
    ("t4r1", "t4", "Doccor18", 44, None),
    ("t4r2", "t4r1", "Mavrikiy", 58, None),
    ("t4r3", "t4r2", "Doccor18", 73, None),
    ("t4r4", "t4r3", "Stirbjorn", 95, "Five levels deep and we still agree on nothing. That is NATO in a nutshell."),
    ("t5", None, "Civil", 47, None),
    ("t6", None, "Lena Hoffmann", 52, None),
    ("t7", None, "Proxima", 66, None),
    ("t7r1", "t7", "Jonas Becker", 80, None),
    ("t7r2", "t7", "Old_Sapper", 88, None),
    ("t8", None, "Sergey39", 102, None),
    ("t9", None, "Vladimir_2U", 118, None),
    ("t10", None, "Margaret Ellis", 131,
     "Two things are missing from the article.\n\nFirst, the cost of the interceptors themselves. "
     "Second, who trains the crews?"),
    ("t10r1", "t10", "Helen Carter", 150, None),
    ("t11", None, "Stirbjorn", 160, None),
    ("t12", None, "Tom Whitfield", 175, None),
    ("t12r1", "t12", "Lena Hoffmann", 190, None),
    ("t13", None, "Doccor18", 210, None),
    ("t14", None, "Kasia W.", 236, None),
    ("t15", None, "Siberian_Bear", 260, None),
    ("t15r1", "t15", "Proxima", 275, None),
    ("t15r2", "t15r1", "Siberian_Bear", 300, None),
    ("t16", None, "Jonas Becker", 320, None),
    ("t17", None, "Old_Sapper", 345, None),
    ("t18", None, "Henrik Dahl", 380, None),
    ("t19", None, "Civil", 410, None),
    ("t19r1", "t19", "Margaret Ellis", 433, None),
    ("t20", None, "Piotr Zieliński", 470, None),
    ("t21", None, "Mavrikiy", 520, None),
    ("t22", None, "Lena Hoffmann", 600, None),
    ("t22r1", "t22", "Helen Carter", 640, None),
    ("t23", None, "Vladimir_2U", 720, None),
    ("t24", None, "Tom Whitfield", 900, None),
    ("t24r1", "t24", "Kasia W.", 960, None),
    ("t25", None, "Henrik Dahl", 1500,
     "Late to the party, but: the radar gap over the Baltic is the real story here."),
)
# Commenters who gave a website with their comment (printed as a link on their name).
AUTHOR_URLS = {"Piotr Zieliński": "https://zielinski-defence.example.org/", "Henrik Dahl": "https://dahl.example.net/"}

UTC_COMMENTS = (
    ("a", None, "Lena Hoffmann", 25, None),
    ("b", "a", "Tomasz Nowak", 70, None),
    ("c", None, "Old_Sapper", 480, None),
)
# A pingback on the same post, from another blog (WordPress lists it among the comments).
UTC_PINGBACK = ("Frigate programme: what the vote means | Baltic Security Notes",
                "https://baltic-notes.example.org/2026/02/frigate-programme-what-the-vote-means/", 620)

RENAMED_COMMENTS = (
    ("a", None, "Henrik Dahl", 95, None),
    ("b", None, "Vladimir_2U", 300, None),
)
HISTORY_COMMENTS = (
    ("a", None, "Old_Sapper", 240, "My grandfather sailed with PQ 17. He never spoke about it."),
    ("b", "a", "Anna Lindqvist", 1300, None),
)

# Letters to the editor (Leserbriefe) under the German commentary: (ref, parent, author and town, minutes, text).
LETTERS = (
    ("l1", None, "Hans-Peter Krüger, Kiel", 95, None),
    ("l2", None, "Dr. Ursula Brandt, Bonn", 180, None),
    ("l3", None, "Michael Schröder, Leipzig", 300,
     "Ihr Kommentar spricht mir aus der Seele.\nAls ehemaliger Zeitsoldat kann ich jedes Wort bestätigen."),
    ("l3a", "l3", "Katharina Vogel", 420, "Vielen Dank für Ihre Zuschrift, Herr Schröder."),
    ("l4", None, "Anke Weber, Rostock", 1440, None),
    ("l5", None, "Jürgen Hahn, Augsburg", 2900, None),
)
LETTERS_SHORT = (
    ("l1", None, "Bernd Kaiser, Flensburg", 240, None),
    ("l2", None, "Sabine Roth, Münster", 800, None),
    ("l3", None, "Uwe Lorenz, Dresden", 1100, None),
)

# The readers' forum: a thread of posts rendered by a forum plugin (li#bb_message_N inside ul.thread).
FORUM = (
    ("m1", None, "Marcus Reed", 5,
     "Should Germany bring back conscription? Tell us what you think, and keep it civil."),
    ("m2", "m1", "Jonas Becker", 31, None),
    ("m3", "m2", "Lena Hoffmann", 47, None),
    ("m4", "m1", "Old_Sapper", 60, None),
    ("m5", "m4", "Kasia W.", 74, None),
    ("m6", "m5", "Old_Sapper", 90, None),
    ("m7", "m1", "Henrik Dahl", 130, None),
    ("m8", "m1", "Tom Whitfield", 210, None),
    ("m9", "m8", "Margaret Ellis", 260, None),
)

"""The normalizers, as tables of what a page shows and what the archive should hold."""

from __future__ import annotations

import doctest
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from crawler.domain import text, timestamps
from crawler.domain.normalize import clean_text, clean_title, parse_score, parse_timestamp

MSK = ZoneInfo("Europe/Moscow")
# Fetch times the relative forms count back from.
EVENING = datetime(2020, 9, 13, 21, 30, tzinfo=MSK)
JUST_AFTER_MIDNIGHT = datetime(2020, 9, 14, 0, 10, tzinfo=MSK)
UTC_STILL_13TH = datetime(2020, 9, 13, 22, 30, tzinfo=timezone.utc)  # 01:30 on the 14th in Moscow
NEW_YEAR = datetime(2021, 1, 1, 0, 30, tzinfo=MSK)
NEW_YEARS_EVE = datetime(2020, 12, 31, 23, 30, tzinfo=MSK)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13 September 2020 20: 59", datetime(2020, 9, 13, 20, 59, tzinfo=MSK)),
        ("13 September 2020 21: 34", datetime(2020, 9, 13, 21, 34, tzinfo=MSK)),
        ("13 сентября 2020 20:59", datetime(2020, 9, 13, 20, 59, tzinfo=MSK)),
        ("2020-09-13T17:59:00Z", datetime(2020, 9, 13, 20, 59, tzinfo=MSK)),
    ],
)
def test_seed_timestamps_are_moscow_wall_time(text, expected):
    found = parse_timestamp(text, tz="Europe/Moscow")
    assert found == expected
    assert found.utcoffset() == timedelta(hours=3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13 September 2020 20: 59", "2020-09-13T20:59:00+03:00"),
        ("13 September 2020 20:59", "2020-09-13T20:59:00+03:00"),
        ("13 September 2020, 20:59", "2020-09-13T20:59:00+03:00"),
        ("13 September 2020 at 20:59", "2020-09-13T20:59:00+03:00"),
        ("13 September 2020 20:59:07", "2020-09-13T20:59:07+03:00"),
        ("1 September 2020 08:05", "2020-09-01T08:05:00+03:00"),
        ("13 Sep 2020 20:59", "2020-09-13T20:59:00+03:00"),
        ("13 Sept. 2020 20:59", "2020-09-13T20:59:00+03:00"),
        ("13 May 2020 20:59", "2020-05-13T20:59:00+03:00"),
        ("13 сентября 2020 20:59", "2020-09-13T20:59:00+03:00"),
        ("13 сентября 2020 г. в 20:59", "2020-09-13T20:59:00+03:00"),
        ("13 сентябрь 2020 20:59", "2020-09-13T20:59:00+03:00"),
        ("13 сен 2020 20:59", "2020-09-13T20:59:00+03:00"),
        ("13 сент. 2020 20:59", "2020-09-13T20:59:00+03:00"),
        ("1 мая 2020 20:59", "2020-05-01T20:59:00+03:00"),
        ("31 декабря 2019 23:59", "2019-12-31T23:59:00+03:00"),
        ("13.09.2020 20:59", "2020-09-13T20:59:00+03:00"),
        ("13.09.2020, 20:59", "2020-09-13T20:59:00+03:00"),
        ("03.09.2020 20:59", "2020-09-03T20:59:00+03:00"),
        ("2020-09-13 20:59", "2020-09-13T20:59:00+03:00"),
        ("2020-09-13T20:59:00+03:00", "2020-09-13T20:59:00+03:00"),
        ("2020-09-13T19:59:00+02:00", "2020-09-13T20:59:00+03:00"),
        ("2020-09-13T20:59:00+0000", "2020-09-13T23:59:00+03:00"),
        ("2020-09-13T20:59:00.250-04:00", "2020-09-14T03:59:00.250000+03:00"),
        ("2020-09-13 20:59 UTC", "2020-09-13T23:59:00+03:00"),
        # A date alone reads as its midnight.
        ("13 September 2020", "2020-09-13T00:00:00+03:00"),
        ("13.09.2020", "2020-09-13T00:00:00+03:00"),
        ("2020-09-13", "2020-09-13T00:00:00+03:00"),
        # Mixed case, NBSP, zero-width space, stray spaces anywhere.
        ("  13\u00a0SEPTEMBER\u00a0 2020   20 :59 ", "2020-09-13T20:59:00+03:00"),
        ("13 СЕНТЯБРЯ 2020\u200b 20: 59", "2020-09-13T20:59:00+03:00"),
        ("\n13.09.2020\t20:59\n", "2020-09-13T20:59:00+03:00"),
    ],
)
def test_absolute_timestamps(text, expected):
    found = parse_timestamp(text, tz="Europe/Moscow", now=EVENING)
    assert found.isoformat() == expected
    assert found.tzinfo == MSK


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        ("Today, 14:05", EVENING, "2020-09-13T14:05:00+03:00"),
        ("Сегодня, 14:05", EVENING, "2020-09-13T14:05:00+03:00"),
        ("Сегодня в 14:05", EVENING, "2020-09-13T14:05:00+03:00"),
        ("today at 14:05", EVENING, "2020-09-13T14:05:00+03:00"),
        ("Yesterday 09:12", EVENING, "2020-09-12T09:12:00+03:00"),
        ("Yesterday, 09:12", EVENING, "2020-09-12T09:12:00+03:00"),
        ("Вчера, 09:12", EVENING, "2020-09-12T09:12:00+03:00"),
        ("ВЧЕРА в 09:12", EVENING, "2020-09-12T09:12:00+03:00"),
        ("5 minutes ago", EVENING, "2020-09-13T21:25:00+03:00"),
        ("a minute ago", EVENING, "2020-09-13T21:29:00+03:00"),
        ("2 hours ago", EVENING, "2020-09-13T19:30:00+03:00"),
        ("an hour ago", EVENING, "2020-09-13T20:30:00+03:00"),
        ("3 часа назад", EVENING, "2020-09-13T18:30:00+03:00"),
        ("5 минут назад", EVENING, "2020-09-13T21:25:00+03:00"),
        ("1 час назад", EVENING, "2020-09-13T20:30:00+03:00"),
        ("час назад", EVENING, "2020-09-13T20:30:00+03:00"),
        ("2 days ago", EVENING, "2020-09-11T21:30:00+03:00"),
        ("30 seconds ago", EVENING, "2020-09-13T21:29:00+03:00"),
        ("just now", EVENING, "2020-09-13T21:30:00+03:00"),
        ("Только что", EVENING, "2020-09-13T21:30:00+03:00"),
        # Around midnight: "today" and "yesterday" are calendar days in Moscow.
        ("Yesterday, 23:50", JUST_AFTER_MIDNIGHT, "2020-09-13T23:50:00+03:00"),
        ("Today, 00:05", JUST_AFTER_MIDNIGHT, "2020-09-14T00:05:00+03:00"),
        ("15 minutes ago", JUST_AFTER_MIDNIGHT, "2020-09-13T23:55:00+03:00"),
        # A fetch time given in UTC that is already the next day in Moscow.
        ("Today, 01:00", UTC_STILL_13TH, "2020-09-14T01:00:00+03:00"),
        ("Сегодня в 00:15", UTC_STILL_13TH, "2020-09-14T00:15:00+03:00"),
        ("Yesterday, 23:40", UTC_STILL_13TH, "2020-09-13T23:40:00+03:00"),
        ("5 minutes ago", UTC_STILL_13TH, "2020-09-14T01:25:00+03:00"),
        ("just now", UTC_STILL_13TH, "2020-09-14T01:30:00+03:00"),
    ],
)
def test_relative_timestamps_count_back_from_now(text, now, expected):
    found = parse_timestamp(text, tz="Europe/Moscow", now=now)
    assert found.isoformat() == expected
    assert found.tzinfo == MSK


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        ("13 сентября 20:59", EVENING, "2020-09-13T20:59:00+03:00"),
        ("13 September, 20:59", EVENING, "2020-09-13T20:59:00+03:00"),
        ("12 сентября", EVENING, "2020-09-12T00:00:00+03:00"),
        # Up to a day ahead of now is this year (a site clock slightly ahead)...
        ("14 сентября 21:00", EVENING, "2020-09-14T21:00:00+03:00"),
        # ...further ahead is last year.
        ("15 September 10:00", EVENING, "2019-09-15T10:00:00+03:00"),
        ("31 декабря 23:59", NEW_YEAR, "2020-12-31T23:59:00+03:00"),
        ("1 января 00:10", NEW_YEAR, "2021-01-01T00:10:00+03:00"),
        ("2 January 00:20", NEW_YEAR, "2021-01-02T00:20:00+03:00"),
        ("2 January 10:00", NEW_YEAR, "2020-01-02T10:00:00+03:00"),
        ("1 January 08:00", NEW_YEARS_EVE, "2021-01-01T08:00:00+03:00"),
        ("29 февраля", datetime(2021, 6, 1, 12, 0, tzinfo=MSK), "2020-02-29T00:00:00+03:00"),
        ("13 сентября 20:59", datetime(2021, 3, 1, 12, 0, tzinfo=MSK), "2020-09-13T20:59:00+03:00"),
        ("13 сентября 20:59", datetime(2021, 10, 1, 12, 0, tzinfo=MSK), "2021-09-13T20:59:00+03:00"),
    ],
)
def test_day_and_month_without_year_is_the_latest_not_after_now(text, now, expected):
    assert parse_timestamp(text, tz="Europe/Moscow", now=now).isoformat() == expected


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        ("15 July 2010 12:00", EVENING, "2010-07-15T12:00:00+04:00"),  # Moscow summer time
        ("15 January 2010 12:00", EVENING, "2010-01-15T12:00:00+03:00"),
        ("2012-01-15 12:00", EVENING, "2012-01-15T12:00:00+04:00"),  # permanent UTC+4, 2011-2014
        ("25.10.2014 12:00", EVENING, "2014-10-25T12:00:00+04:00"),
        ("26.10.2014 12:00", EVENING, "2014-10-26T12:00:00+03:00"),
        ("2010-07-15T08:00:00Z", EVENING, "2010-07-15T12:00:00+04:00"),
        # 02:30 never happened on 28 March 2010 (clocks went 02:00 -> 03:00): the same instant.
        ("2010-03-28 02:30", EVENING, "2010-03-28T03:30:00+04:00"),
        # 02:30 happened twice on 31 October 2010: the first one.
        ("2010-10-31 02:30", EVENING, "2010-10-31T02:30:00+04:00"),
        # Elapsed time across the spring change: 04:00 summer time is 00:00 UTC.
        ("2 hours ago", datetime(2010, 3, 28, 4, 0, tzinfo=MSK), "2010-03-28T01:00:00+03:00"),
    ],
)
def test_offsets_follow_the_zone_history(text, now, expected):
    assert parse_timestamp(text, tz="Europe/Moscow", now=now).isoformat() == expected


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        ("13.09.2020 20:59", ZoneInfo("Europe/Berlin"), "2020-09-13T20:59:00+02:00"),
        ("13.09.2020 20:59", timezone.utc, "2020-09-13T20:59:00+00:00"),
        ("2020-09-13T20:59:00+03:00", "Europe/Berlin", "2020-09-13T19:59:00+02:00"),
        ("13 September 2020 20:59", "America/New_York", "2020-09-13T20:59:00-04:00"),
    ],
)
def test_the_zone_can_be_a_name_or_a_tzinfo(text, tz, expected):
    assert parse_timestamp(text, tz=tz, now=EVENING).isoformat() == expected


@pytest.mark.parametrize(
    ("formats", "text", "expected"),
    [
        # A DLE site's date() setting settles what a numeric date means: day first here.
        (("%d-%m-%Y, %H:%M", "%d-%m-%Y"), "03-09-2020, 20:59", datetime(2020, 9, 3, 20, 59, tzinfo=MSK)),
        (("%d-%m-%Y, %H:%M", "%d-%m-%Y"), "3-9-2020, 0:05", datetime(2020, 9, 3, 0, 5, tzinfo=MSK)),
        (("%d-%m-%Y, %H:%M", "%d-%m-%Y"), " 03-09-2020 ", datetime(2020, 9, 3, 0, 0, tzinfo=MSK)),
        (("%m/%d/%Y %I:%M %p",), "09/03/2020  08:59 pm", datetime(2020, 9, 3, 20, 59, tzinfo=MSK)),
        (("%d %B %Y, %H:%M",), "3 SEPTEMBER 2020, 20:59", datetime(2020, 9, 3, 20, 59, tzinfo=MSK)),
        (("%Y%m%d%H%M",), "202009032059", datetime(2020, 9, 3, 20, 59, tzinfo=MSK)),
        (("%d.%m.%Y %H:%M:%S%z",), "03.09.2020 17:59:00+0000", datetime(2020, 9, 3, 20, 59, tzinfo=MSK)),
        # Text of another shape goes on to the other readers.
        (("%d-%m-%Y, %H:%M", "%d-%m-%Y"), "13 September 2020 20:59", datetime(2020, 9, 13, 20, 59, tzinfo=MSK)),
    ],
)
def test_a_sites_own_formats_come_first(formats, text, expected):
    policy = timestamps.TimestampPolicy(zone=MSK, formats=formats)
    assert policy.read(text, now=NEW_YEAR).iso == expected.isoformat()


def test_the_same_text_reads_differently_in_another_zone():
    assert parse_timestamp("13.09.2020 20:59", tz="Europe/Moscow").isoformat() == "2020-09-13T20:59:00+03:00"
    assert parse_timestamp("13.09.2020 20:59", tz="Asia/Tokyo").isoformat() == "2020-09-13T20:59:00+09:00"


@pytest.mark.parametrize(
    ("text", "languages", "expected"),
    [
        ("September 13, 2020 8:59 PM", ["en"], "2020-09-13T20:59:00+03:00"),
        ("Sunday, 13 September 2020 20:59", ["en"], "2020-09-13T20:59:00+03:00"),
        ("13 septembre 2020 20:59", ["fr"], "2020-09-13T20:59:00+03:00"),
        ("13 September 2020 20:59 +0000", ["en"], "2020-09-13T23:59:00+03:00"),
        ("3 weeks ago", ["en"], "2020-08-23T21:30:00+03:00"),
        # dateparser must find a day, a month and a year: no filling in from today.
        ("13 septembre", ["fr"], None),
        ("September 2020", ["en"], None),
        ("20:59", ["en", "ru"], None),
        ("Monday", ["en"], None),
    ],
)
def test_other_shapes_fall_back_to_dateparser(text, languages, expected):
    found = parse_timestamp(text, tz="Europe/Moscow", now=EVENING, languages=languages)
    assert (found and found.isoformat()) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The reference time's seconds are not the text's: read to the minute.
        ("1 month ago", "2020-08-13T21:30:00+03:00"),
        ("2 years ago", "2018-09-13T21:30:00+03:00"),
        # Seconds the text gives are kept.
        ("13 Sept. 2020 at 20:59:31", "2020-09-13T20:59:31+03:00"),
        # Nothing on a page was posted years from now.
        ("in 3 years", None),
        ("через 2 года", None),
    ],
)
def test_dateparser_readings_are_minutes_and_never_in_the_future(text, expected):
    now = datetime(2020, 9, 13, 21, 30, 45, tzinfo=MSK)
    found = parse_timestamp(text, tz="Europe/Moscow", now=now, languages=["en", "ru"])
    assert (found and found.isoformat()) == expected


@pytest.mark.parametrize(
    "text",
    [
        None, "", "   ", "\u00a0\u200b", "garbage", "31 Smarch 2020 25:61", "2020",
        "32.01.2020 10:00", "13.13.2020 10:00", "2020-02-30", "29 February 2021", "30 февраля",
        "13 September 2020 24:00", "13 September 2020 20:60", "13 September 2020 20:59:60",
        "0000-01-01", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+14:00", "2020-09-13T20:59+25:00",
        "13 September 2020 20:59 " + "x" * 300,
    ],
)
def test_unreadable_timestamps_are_none(text):
    assert parse_timestamp(text, tz="Europe/Moscow", now=EVENING, languages=["en", "ru"]) is None


NASTY = [
    None, "", " ", "\x00", "\ud800", "\ufeff", "\u202e13.09.2020", "((((", "%s%n%x",
    "<script>alert(1)</script>", "&amp;&#0;&#x110000;&#99999999;", "9" * 5000, "-" * 300, "+-+-2",
    "13" * 100, "1e309", "NaN", "∞", "١٣.٠٩.٢٠٢٠", "-1 hours ago", "9999 weeks ago", "0 minutes ago",
    "13 September 2020 20: 59 20: 59", b"13.09.2020", 1600019940, 3.5, ["13.09.2020"],
]


@pytest.mark.parametrize("text", NASTY)
def test_normalizers_never_raise(text):
    found = parse_timestamp(text, tz="Europe/Moscow", now=EVENING, languages=["en", "ru"])
    assert found is None or found.tzinfo == MSK
    assert isinstance(parse_score(text), int | None)
    assert isinstance(clean_title(text, site_suffixes=["Military Review"]), str | None)
    assert isinstance(clean_text(text, boilerplate=["Information", re.compile("x")]), str | None)


def test_docstring_examples_hold():
    for module in (timestamps, text):
        outcome = doctest.testmod(module)
        assert (outcome.failed, outcome.attempted > 0) == (0, True), module.__name__


def test_without_now_relative_forms_count_back_from_the_current_time():
    before = datetime.now(timezone.utc)
    found = parse_timestamp("5 minutes ago", tz="Europe/Moscow")
    after = datetime.now(timezone.utc)
    assert (before - timedelta(minutes=5)).replace(second=0, microsecond=0) <= found <= after - timedelta(minutes=5)
    assert (found.second, found.microsecond) == (0, 0)
    assert found.tzinfo == MSK


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tz": "Mars/Olympus_Mons"}, "unknown time zone 'Mars/Olympus_Mons'"),
        ({"tz": "Europe/Moscow", "now": datetime(2020, 9, 13, 21, 30)}, "now must be an aware datetime"),
    ],
)
def test_caller_mistakes_raise_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_timestamp("5 minutes ago", **kwargs)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+2", 2), ("0", 0), ("-3", -3), ("\u22123", -3), ("\u20133", -3), (" +15 ", 15),
        ("+1 234", 1234), ("1,234", 1234), ("-1\u00a0234\u00a0567", -1234567), ("+ 7", 7),
        ("\u00a0-12\u00a0", -12), ("\u22120", 0), ("+0", 0), ("007", 7), ("12\u200b", 12),
        (None, None), ("", None), ("  ", None), ("\u2014", None), ("-", None), ("+", None),
        ("abc", None), ("+2 votes", None), ("12,34", None), ("1.5", None), ("2 3", None),
        ("+-2", None), ("--2", None), ("9" * 5000, None),
    ],
)
def test_parse_score(text, expected):
    assert parse_score(text) == expected


SEED_TITLE = "A source reveals the Kremlin's reaction to large-scale protests in Belarus"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"{SEED_TITLE} - Military Review", SEED_TITLE),
        (f"{SEED_TITLE} | Military Review", SEED_TITLE),
        (f"{SEED_TITLE} \u2014 Military Review", SEED_TITLE),
        (f"{SEED_TITLE}: Military Review", SEED_TITLE),
        (f"Military Review: {SEED_TITLE}", SEED_TITLE),
        (f"Military Review - {SEED_TITLE}", SEED_TITLE),
        (f"{SEED_TITLE} - MILITARY REVIEW", SEED_TITLE),
        (f"  {SEED_TITLE}\u00a0-\u00a0Military\u00a0Review\n", SEED_TITLE),
        (f"{SEED_TITLE} | topwar.ru - Military Review", SEED_TITLE),
        ("Large-scale protests - Military Review", "Large-scale protests"),
        ("Reviews of military review books", "Reviews of military review books"),
        ("News Military Review", "News Military Review"),
        ("Military Review-ish news", "Military Review-ish news"),
        ("Military Review", "Military Review"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("&quot;Quoted&quot; &#8212; It&#39;s &laquo;fine&raquo;", '"Quoted" \u2014 It\'s \u00abfine\u00bb'),
        ("R&D at AT&T", "R&D at AT&T"),
        ("Cafe\u0301", "Caf\u00e9"),
        ("  Line one\n\tline two  ", "Line one line two"),
        ("Bel\u200barus", "Belarus"),
        ("Bela\u00adrus", "Belarus"),
        ("A&nbsp;&nbsp;B", "A B"),
        ("", None),
        ("  \n ", None),
        ("\u200b", None),
        (None, None),
    ],
)
def test_clean_title(text, expected):
    assert clean_title(text, site_suffixes=["Military Review", "topwar.ru"]) == expected


def test_clean_title_without_suffixes_keeps_the_site_name():
    assert clean_title(f"{SEED_TITLE} - Military Review") == f"{SEED_TITLE} - Military Review"


BOILERPLATE = [
    "Used photos:", "Information", "Dear reader, to leave comments", re.compile(r"^\d+ comments?$"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One line", "One line"),
        ("Line one\nLine two", "Line one\nLine two"),
        ("Line one\r\nLine two\rLine three", "Line one\nLine two\nLine three"),
        ("First.\n\nSecond.", "First.\n\nSecond."),
        ("First.\n\n\n\nSecond.", "First.\n\nSecond."),
        ("First.\r\n\r\nSecond.", "First.\n\nSecond."),
        ("First.\n \t\u00a0\nSecond.", "First.\n\nSecond."),
        ("\n\n  First.  \n\n", "First."),
        ("  many   spaces\tand\u00a0tabs  ", "many spaces and tabs"),
        ("fish &amp; chips&nbsp;&nbsp;today", "fish & chips today"),
        ("&amp;amp; is an escaped ampersand", "&amp; is an escaped ampersand"),
        ("R&D and &paragraph", "R&D and &paragraph"),
        ("Bel\u200barus and Bela\u00adrus", "Belarus and Belarus"),
        ("Cafe\u0301", "Caf\u00e9"),
        ("Line\u2028next\u2029Paragraph", "Line\nnext\n\nParagraph"),
        ("Kept.\n\nUsed photos: RIA", "Kept."),
        ("Kept.\n\nInformation", "Kept."),
        ("Kept.\n\nDear reader, to leave comments on the publication, you must sign in.", "Kept."),
        ("2 comments\n\nKept.", "Kept."),
        ("12 comments later\n\nKept.", "12 comments later\n\nKept."),
        ("Not Information at the start.", "Not Information at the start."),
        ("Information\nand its second line\n\nKept.", "Kept."),
        ("Information", None),
        ("", None),
        (" \n\u00a0\n\t", None),
        (None, None),
    ],
)
def test_clean_text(text, expected):
    assert clean_text(text, boilerplate=BOILERPLATE) == expected


def test_clean_text_keeps_the_seed_paragraphs_and_drops_the_furniture():
    page_text = (
        "\n  Large-scale protests have been going on in Belarus for over a month.\u00a0 \n\n"
        "\tThe Kremlin is following events.\r\n\r\n"
        "Information\n\n"
        "According to the source, he does not want the protests to spread to Russia.\n\n\n"
        "Dear reader, to leave comments on the publication, you must sign in.\n"
    )
    assert clean_text(page_text, boilerplate=BOILERPLATE) == (
        "Large-scale protests have been going on in Belarus for over a month.\n\n"
        "The Kremlin is following events.\n\n"
        "According to the source, he does not want the protests to spread to Russia."
    )

"""How fast parse_timestamp reads comment dates, next to plain dateparser on the same strings.

    python benchmarks/normalize_bench.py [--per-repeat 300] [--repeats 5] [--seed 1]

The corpus mimics what a DLE news site's comment pages show: mostly machine-translated
absolute dates ("13 September 2020 20: 59") with many distinct values, plus the other
absolute, relative and Russian forms. Each repetition times a fresh slice of distinct
strings, so parse_timestamp's cache cannot help ("cold"); then the same slice again
("warm"). dateparser.parse runs on the very same strings in the same process, once with
its defaults ("plain") and once told the languages. Rates are medians over repetitions.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import dateparser

from crawler.domain.normalize import parse_timestamp

ZONE = ZoneInfo("Europe/Moscow")
FETCHED_AT = datetime(2024, 6, 1, 12, 0, tzinfo=ZONE)
EN_MONTHS = "January February March April May June July August September October November December".split()
RU_MONTHS = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()


def _moment(rng: random.Random) -> datetime:
    # Before FETCHED_AT: a date after the capture is no date (parse_timestamp returns None for it).
    return datetime(rng.randint(2012, 2023), rng.randint(1, 12), rng.randint(1, 28),
                     rng.randint(0, 23), rng.randint(0, 59))


def _absolute(template: str) -> Callable[[random.Random], str]:
    """A maker of random dates in *template* ({m} the moment, {en}/{ru} its month's name)."""
    def make(rng: random.Random) -> str:
        m = _moment(rng)
        return template.format(m=m, en=EN_MONTHS[m.month - 1], ru=RU_MONTHS[m.month - 1])
    return make


def _relative(rng: random.Random) -> str:
    return rng.choice([
        f"{rng.randint(2, 59)} minutes ago", f"{rng.randint(2, 23)} hours ago",
        f"{rng.randint(2, 6)} days ago",
        f"{rng.randint(5, 20)} минут назад", f"{rng.choice([2, 3, 4, 22, 23])} часа назад",
        "an hour ago", "a minute ago", "1 час назад", "just now", "только что",
    ])


def _clock(rng: random.Random) -> str:
    return f"{rng.randint(0, 23):02}:{rng.randint(0, 59):02}"


# (form, share of the corpus, maker): mostly the machine-translated shape, as on en.topwar.ru.
FORMS: list[tuple[str, int, Callable[[random.Random], str]]] = [
    ("13 September 2020 20: 59", 60, _absolute("{m.day} {en} {m.year} {m.hour:02}: {m.minute:02}")),
    ("13 September 2020 20:59", 8, _absolute("{m.day} {en} {m.year} {m.hour:02}:{m.minute:02}")),
    ("13 сентября 2020 20:59", 8, _absolute("{m.day} {ru} {m.year} {m.hour:02}:{m.minute:02}")),
    ("13.09.2020, 20:59", 6, _absolute("{m:%d.%m.%Y, %H:%M}")),
    ("2020-09-13T20:59:00+03:00", 4, _absolute("{m:%Y-%m-%dT%H:%M:00+03:00}")),
    ("Today, 14:05 / Сегодня в 14:05", 4,
     lambda rng: rng.choice(["Today, ", "Сегодня, ", "Сегодня в "]) + _clock(rng)),
    ("Yesterday, 09:12 / Вчера, 09:12", 4,
     lambda rng: rng.choice(["Yesterday ", "Yesterday, ", "Вчера, "]) + _clock(rng)),
    ("5 minutes ago / 3 часа назад", 6, _relative),
]


def build_corpus(count: int, seed: int) -> list[tuple[str, str]]:
    """*count* distinct (form, text) pairs in the proportions of FORMS."""
    rng = random.Random(seed)
    names, shares, makers = zip(*FORMS)
    seen: set[str] = set()
    corpus: list[tuple[str, str]] = []
    while len(corpus) < count:
        index = rng.choices(range(len(FORMS)), weights=shares)[0]
        text = makers[index](rng)
        if text not in seen:
            seen.add(text)
            corpus.append((names[index], text))
    return corpus


def timed(parse: Callable[[str], object], texts: Sequence[str]) -> tuple[float, list[object]]:
    """Calls per second of *parse* over *texts*, and what it returned."""
    start = time.perf_counter()
    results = [parse(text) for text in texts]
    return len(texts) / (time.perf_counter() - start), results


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-repeat", type=int, default=300, help="distinct strings per repetition")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    corpus = build_corpus(args.per_repeat * args.repeats, args.seed)
    contenders: dict[str, Callable[[str], object]] = {
        "parse_timestamp cold": lambda s: parse_timestamp(s, tz=ZONE, now=FETCHED_AT),
        "parse_timestamp warm": lambda s: parse_timestamp(s, tz=ZONE, now=FETCHED_AT),
        "dateparser.parse (plain)": dateparser.parse,
        "dateparser.parse (languages=en,ru)": lambda s: dateparser.parse(s, languages=["en", "ru"]),
    }
    for parse in contenders.values():  # first calls load dateparser's language data; not what we measure
        parse("1 January 2000 00:00")

    rates: dict[str, list[float]] = {name: [] for name in contenders}
    nones: dict[str, Counter[str]] = {name: Counter() for name in contenders}
    for repeat in range(args.repeats):
        chunk = corpus[repeat * args.per_repeat:(repeat + 1) * args.per_repeat]
        texts = [text for _, text in chunk]
        for name, parse in contenders.items():  # "warm" follows "cold", so it meets a filled cache
            rate, results = timed(parse, texts)
            rates[name].append(rate)
            nones[name].update(form for (form, _), result in zip(chunk, results) if result is None)

    report(corpus, args.repeats, rates, nones)


def report(corpus: list[tuple[str, str]], repeats: int, rates: dict[str, list[float]],
           nones: dict[str, Counter[str]]) -> None:
    median = {name: statistics.median(values) for name, values in rates.items()}
    print(f"{len(corpus)} distinct strings, {len(corpus) // repeats} per repetition, {repeats} repetitions; "
          f"medians of calls/s\n")
    print(f"{'':36} {'calls/s':>12} {'returned None':>15}")
    for name, rate in median.items():
        print(f"{name:36} {rate:12,.0f} {sum(nones[name].values()):>8} / {len(corpus)}")
    cold = median["parse_timestamp cold"]
    plain, told = median["dateparser.parse (plain)"], median["dateparser.parse (languages=en,ru)"]
    print(f"\nparse_timestamp cold vs dateparser plain: {cold / plain:,.0f}x (aim >= 20x); "
          f"vs dateparser with languages: {cold / told:,.0f}x")
    print(f"parse_timestamp warm vs cold: {median['parse_timestamp warm'] / cold:.1f}x\n")

    per_form = Counter(form for form, _ in corpus)
    print(f"{'form':34} {'strings':>8} {'None: ours':>11} {'dateparser':>11}")
    for form, count in per_form.most_common():
        print(f"{form:34} {count:8} {nones['parse_timestamp cold'][form]:11} "
              f"{nones['dateparser.parse (plain)'][form]:11}")


if __name__ == "__main__":
    main()

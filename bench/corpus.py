"""Synthetic knowledge in the real schema, and the queries people would type about it.

Names are made of invented syllables that recur across names the way real ones share parts
("Korvana", "Korvana Systems", "Zentrix Pro 40", "Zentrix Pro 400"), so a matcher meets the
same confusions it meets in real knowledge. Every excerpt is a sentence of a generated article,
so the loader's verbatim checks pass. One seed makes one corpus, byte for byte.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

ENTRIES_PER_ARTICLE = 100
QUERIES_FILE = "queries.json"
# How many of each kind one article's hundred entries are.
KINDS = (("product", 35), ("organisation", 25), ("person", 20), ("topic", 12), ("figure", 8))
COMMAND_FOR_KIND = {
    "product": "product",
    "organisation": "company",
    "person": "who",
    "topic": "topic",
    "figure": "figure",
}
_ONSETS = "b br c d dr f g gr k kr l m n p pr qu r s st t tr v z".split()
_VOWELS = "a e i o u ai ei ou ia".split()
_CODAS = ["", "", "n", "r", "x", "l", "s", "th", "nd", "v"]
_COMPANY_SUFFIXES = ["Systems", "Labs", "Networks", "Dynamics", "Robotics", "Semiconductor"]
_PRODUCT_TIERS = ["Pro", "Max", "Ultra", "Edge", "Lite", "Nano", "Core"]
_TOPIC_HEADS = ["exports", "supply chains", "licensing", "pricing", "regulation", "talent"]
_FIGURE_HEADS = ["Share of", "Number of", "Growth of", "Cost of"]
# Ordinary words people wrap around a name; none is a word of any generated name.
_EXTRA_BEFORE = ["the latest on", "news about", "what about", "tell me about", "the new"]
_EXTRA_AFTER = ["news", "plans", "update", "announcement", "latest"]


@dataclass(frozen=True)
class Entry:
    """One generated entry: what the YAML says, and the article sentence that cites it."""

    id: str
    kind: str
    name: str
    aliases: tuple[str, ...]
    sentence: str
    value: str | None = None


@dataclass(frozen=True)
class Query:
    """A chat command and the entry it means (None: the knowledge has no such thing)."""

    command: str
    argument: str
    form: str  # exact, typo, swap, partial, extra, out_of_scope
    expected: str | None


class _Names:
    """Invented words and names, never the same normalised name twice."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.stems = [self._word() for _ in range(400)]  # parts that recur across names

    def _word(self, syllables: int | None = None) -> str:
        count = syllables or self.rng.choice((2, 2, 3))
        parts = [self.rng.choice(_ONSETS) + self.rng.choice(_VOWELS) for _ in range(count)]
        return ("".join(parts) + self.rng.choice(_CODAS)).capitalize()

    def fresh(self, make) -> str:  # type: ignore[no-untyped-def]
        """A name `make()` builds that no earlier call returned (case-insensitively)."""
        tries = 0
        while True:
            name = make()
            if name.casefold() not in self.used:
                self.used.add(name.casefold())
                return name
            tries += 1
            if tries % 20 == 0:  # the shared parts are used up: add one, as new names do
                self.stems.append(self._word())

    def stem(self) -> str:
        return self.rng.choice(self.stems)

    def word(self) -> str:
        return self._word()


def _product_name(names: _Names) -> str:
    """ "Zentrix Pro 40" or "Zentrixo Max": a shared stem, a tier, sometimes a number."""
    rng = names.rng
    tier = rng.choice(_PRODUCT_TIERS)
    if rng.random() < 0.5:
        return f"{names.stem()} {tier} {rng.choice([4, 40, 400, 7, 70, 9, 90])}"
    return f"{names.stem()}{rng.choice(['', 'o', 'ex'])} {tier}"


def _kind_counts(total: int) -> list[tuple[str, int]]:
    """KINDS scaled to `total` entries, keeping a product and a person (the statement's)."""
    if total >= ENTRIES_PER_ARTICLE:
        return [(kind, count * total // ENTRIES_PER_ARTICLE) for kind, count in KINDS]
    return [("product", total - total // 2), ("person", total // 2)]


def _entries(article: int, names: _Names, total: int) -> list[Entry]:
    rng = names.rng
    entries: list[Entry] = []
    companies: list[str] = []
    for kind, count in _kind_counts(total):
        for number in range(count):
            entry_id = f"a{article}-{kind[:4]}-{number}"
            value = None
            if kind == "organisation":
                name = names.fresh(lambda: f"{names.stem()}{rng.choice(['', 'a', 'on', 'ix'])}")
                alias = names.fresh(lambda n=name: f"{n} {rng.choice(_COMPANY_SUFFIXES)}")
                aliases: tuple[str, ...] = (alias,)
                companies.append(name)
                sentence = f"{alias} said it would expand in {names.word()}."
            elif kind == "product":
                name = names.fresh(lambda: _product_name(names))
                maker = rng.choice(companies) if companies else names.word()
                alias = names.fresh(lambda n=name, m=maker: f"{m} {n}")
                aliases = (alias,)
                sentence = f"The {name} from {maker} was shown for the first time."
            elif kind == "person":
                name = names.fresh(lambda: f"{names.word()} {names.stem()}")
                aliases = ()
                sentence = f"{name} spoke at the event about the year ahead."
            elif kind == "topic":
                name = names.fresh(lambda: f"{names.stem()} {rng.choice(_TOPIC_HEADS)}")
                aliases = ()
                sentence = f"The talks turned to {name} before noon."
            else:
                name = names.fresh(
                    lambda: f"{rng.choice(_FIGURE_HEADS)} {names.stem()} {names.word()} units"
                )
                value = f"{rng.randint(2, 999)} million"
                aliases = ()
                sentence = f"The {name.lower()} reached {value} this year."
            entries.append(Entry(entry_id, kind, name, aliases, sentence, value))
    return entries


def write_corpus(
    directory: Path, articles: int, seed: int = 1, entries: int = ENTRIES_PER_ARTICLE
) -> list[Entry]:
    """Write `articles` knowledge files (and their article texts) under `directory`."""
    rng = random.Random(seed)
    names = _Names(rng)
    knowledge, seeds = directory / "knowledge", directory / "seeds"
    knowledge.mkdir(parents=True, exist_ok=True)
    seeds.mkdir(parents=True, exist_ok=True)
    every: list[Entry] = []
    per_article = entries
    for article in range(articles):
        entries = _entries(article, names, per_article)
        every += entries
        people = [e for e in entries if e.kind == "person"]
        title = f"Synthetic Report {article}: {entries[0].name} and the Year Ahead"
        quote = f"we will ship the {entries[1].name} soon"
        lines = [title, *(e.sentence for e in entries)]
        lines.append(f'{people[0].name} told reporters, "{quote}," before leaving.')
        lines.append("About the publisher")
        (seeds / f"report-{article}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        document = {
            "article": {
                "id": f"report-{article}",
                "title": title,
                "source": f"../seeds/report-{article}.txt",
                "body_ends_before": "About the publisher",
                "briefing": [{"text": entries[0].sentence, "sources": [entries[0].sentence]}],
            },
            "entries": [_entry_yaml(e, entries) for e in entries],
            "statements": [
                {
                    "id": f"a{article}-st-0",
                    "speaker": people[0].id,
                    "text": quote,
                    "direct": True,
                    "about": [entries[1].id],
                }
            ],
        }
        with open(knowledge / f"report-{article}.yaml", "w", encoding="utf-8") as handle:
            yaml.dump(document, handle, Dumper=yaml.CSafeDumper, allow_unicode=True, width=200)
    return every


def _entry_yaml(entry: Entry, siblings: list[Entry]) -> dict[str, object]:
    raw: dict[str, object] = {
        "id": entry.id,
        "kind": entry.kind,
        "name": entry.name,
        "aliases": list(entry.aliases),
        "summary": f"{entry.name} is one of the things this synthetic article covers.",
        "related": [siblings[0].id] if siblings[0] is not entry else [],
        "sources": [entry.sentence],
    }
    if entry.value:
        raw["value"] = entry.value
    return raw


def make_queries(entries: list[Entry], count: int, seed: int = 2) -> list[Query]:
    """`count` queries: five in-scope forms of real names, and out-of-scope near misses."""
    rng = random.Random(seed)
    known = {name.casefold() for e in entries for name in (e.name, *e.aliases)}
    words = {w.casefold() for name in known for w in name.split()}
    queries: list[Query] = []
    forms = ["exact", "typo", "swap", "partial", "extra", "out_of_scope"]
    while len(queries) < count:
        entry = rng.choice(entries)
        form = forms[len(queries) % len(forms)]
        command = COMMAND_FOR_KIND[entry.kind]
        name = rng.choice((entry.name, *entry.aliases))
        argument = _form(name, form, rng, words)
        if form == "partial" and entry.kind == "figure":
            continue  # "of ... units" is no way to ask for a figure
        if argument is None or (form != "exact" and argument.casefold() in known):
            continue
        queries.append(Query(command, argument, form, None if form == "out_of_scope" else entry.id))
    return queries


def _form(name: str, form: str, rng: random.Random, words: set[str]) -> str | None:
    parts = name.split()
    if form == "exact":
        return name
    if form == "typo":
        long = [i for i, part in enumerate(parts) if len(part) >= 6 and part.isalpha()]
        if not long:
            return None
        i = rng.choice(long)
        word = parts[i]
        at = rng.randrange(1, len(word) - 1)
        parts[i] = rng.choice(
            [
                word[:at] + word[at + 1 :],  # a letter left out
                word[:at] + word[at + 1] + word[at] + word[at + 2 :],  # two letters swapped
                word[:at] + rng.choice("aeioulnrst") + word[at + 1 :],  # a wrong letter
            ]
        )
        return " ".join(parts)
    if form == "swap":
        return " ".join(reversed(parts)) if len(parts) == 2 else None
    if form == "partial":
        # The most telling part of a longer name: a person's surname, a model without its maker.
        return " ".join(parts[1:]) if len(parts) >= 3 else None
    if form == "extra":
        if rng.random() < 0.5:
            return f"{rng.choice(_EXTRA_BEFORE)} {name}"
        return f"{name} {rng.choice(_EXTRA_AFTER)}"
    # Out of scope: a name built like the real ones, with an invented word in place of one.
    invented = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(3)).capitalize()
    if invented.casefold() in words:
        return None
    digits = [i for i, part in enumerate(parts) if part.isdigit()]
    if digits and rng.random() < 0.5:
        parts[digits[0]] = str(int(parts[digits[0]]) + rng.choice((1, 2, 3)))  # H20 is not H21
    else:
        parts[rng.randrange(len(parts))] = invented
    return " ".join(parts)


def prepare(directory: Path, articles: int, queries: int) -> None:
    """A corpus of `articles` articles under `directory`, and its queries in QUERIES_FILE."""
    entries = write_corpus(directory, articles)
    found = [asdict(query) for query in make_queries(entries, queries)]
    (directory / QUERIES_FILE).write_text(json.dumps(found), encoding="utf-8")

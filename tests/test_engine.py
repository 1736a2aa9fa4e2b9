"""The engine: chat lines in, replies out, over the shipped knowledge.

Asserts what a user sees: the status, the title, the entry answered (`entry_id`), the points
with their ¶ marks, the suggestions offered and the citations with their line numbers. No
Markdown crosses the engine's seam, so the checks read the reply's structure, and its plain
text as `render_text` prints it.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.console.render_text import render_point, render_text
from bot.discordbot.embeds import render_pages
from bot.engine.commands import COMMANDS, ChatLine, Engine
from bot.engine.index import KnowledgeIndex
from bot.engine.reply import Echo, Point, Reply, Section, Segment, Status, Suggestion, plain
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import Entry, Kind, Statement
from tests.helpers import edit_file

GOLDEN = yaml.safe_load((Path(__file__).with_name("golden_queries.yaml")).read_text("utf-8"))
ARTICLE_TITLE = (
    "Jensen Huang Shares His Vision For NVIDIA, Also Deepening His Commitment to China’s AI Future"
)
LOOKUPS = ("product", "company", "who", "topic", "figure")
DIRECT = "In the article's quotation marks"
REPORTED = "As the article reports it"
STATEMENT_COUNT = 27


class FixedSource:
    """A knowledge source that always serves one index."""

    def __init__(self, index: KnowledgeIndex) -> None:
        self.current = index


def ask(engine: Engine, line: str) -> Reply:
    reply = engine.handle(line)
    assert reply is not None, f"{line!r} was not taken as a command"
    return reply


def suggested(engine: Engine, reply: Reply) -> list[str]:
    return [s.typed(engine.prefix) for s in reply.suggestions]


def points(reply: Reply) -> list[Point]:
    """Every point of the reply, the lead's first."""
    return [*reply.lead, *(p for s in reply.sections for p in s.points)]


def segments(reply: Reply) -> list[Segment]:
    return [segment for p in points(reply) for segment in p.text]


def echoes(reply: Reply) -> list[str]:
    """The user's words the reply shows back."""
    return [s.text for s in segments(reply) if isinstance(s, Echo)]


def commands_shown(engine: Engine, reply: Reply) -> list[str]:
    """The commands the reply's sentences name, as the user would type them."""
    return [s.typed(engine.prefix) for s in segments(reply) if isinstance(s, Suggestion)]


def lead_text(reply: Reply) -> str:
    return " ".join(plain(p.text) for p in reply.lead)


def texts(section: Section) -> list[str]:
    return [plain(p.text) for p in section.points]


def section_titled(reply: Reply, title: str) -> Section:
    [section] = [s for s in reply.sections if s.title == title]
    return section


def marks_in(text: str) -> set[int]:
    """The paragraph numbers of the ¶ marks a text shows."""
    return {int(number) for number in re.findall(r"¶(\d+)", text)}


def entry_names(index: KnowledgeIndex) -> set[str]:
    return {e.name for e in index.knowledge.entries.values()}


def title_of(entry: Entry) -> str:
    """An entry answer's title: its name; a figure's value first."""
    if entry.kind is Kind.FIGURE and entry.value:
        return f"{entry.value[0].upper()}{entry.value[1:]} — {entry.name}"
    return entry.name


def answers(engine: Engine, suggestion: Suggestion) -> str:
    """The entry a suggested command answers, when it is run."""
    return engine.run(suggestion.command, suggestion.argument).entry_id


def assert_cited_from_the_article(index: KnowledgeIndex, reply: Reply) -> None:
    """Every citation's excerpt stands, word for word, on the line it names."""
    article = index.knowledge.articles[0]
    for citation in reply.citations:
        assert citation.source == article.source
        assert citation.article_title == article.title
        assert citation.excerpt in article.text.paragraph(citation.line).text, citation


def assert_statements_shown(reply: Reply, statements: list[Statement]) -> None:
    """Each statement is one point: its words once, its ¶ mark, quoted only when direct."""
    shown = Counter(
        (plain(p.text), p.paragraphs, p.quoted) for s in reply.sections for p in s.points
    )
    wanted = Counter((s.text, (s.excerpt.line,), s.direct) for s in statements)
    assert shown == wanted
    text = render_text(reply)
    for statement in statements:
        line = f"“{statement.text}”" if statement.direct else statement.text
        assert f"- {line}\u00a0¶{statement.excerpt.line}" in text


def assert_one_label_per_group(index: KnowledgeIndex, reply: Reply) -> None:
    """Statements sit under one section per (speaker, direct) group, direct ones first."""
    by_text = {(s.text, s.excerpt.line): s for s in index.knowledge.statements}
    groups: list[tuple[str, bool]] = []
    for section in reply.sections:
        members = {
            (by_text[(plain(p.text), p.paragraphs[0])].speaker, p.quoted) for p in section.points
        }
        assert len(members) == 1, f"{section.title!r} mixes {members}"
        groups += members
    assert len(groups) == len(set(groups)), "a group is split under two labels"
    titles = [s.title for s in reply.sections]
    assert len(titles) == len(set(titles))
    speakers = {speaker for speaker, _ in groups}
    for speaker, direct in groups:
        name = index.entry(speaker).name
        how = DIRECT if direct else REPORTED
        expected = how if len(speakers) == 1 else f"{name}, {how[0].lower()}{how[1:]}"
        assert expected in titles
        if not direct and (speaker, True) in groups:
            assert groups.index((speaker, True)) < groups.index((speaker, False))
    text = render_text(reply)
    for title in titles:
        assert text.count(f"{title}:") == 1  # the label once per group, never once per line


# The golden table


def _golden_params() -> list[Any]:
    params = []
    for case in GOLDEN:
        marks = (
            [pytest.mark.xfail(strict=True, reason=f"BUG: {case['bug']}")] if "bug" in case else []
        )
        params.append(pytest.param(case, id=case["line"], marks=marks))
    return params


def test_golden_table_is_large_and_varied() -> None:
    assert len(GOLDEN) >= 60
    statuses = {
        s
        for case in GOLDEN
        for s in ([case["status"]] if isinstance(case["status"], str) else case["status"])
    }
    assert statuses == {status.value for status in Status}
    assert len({case["line"] for case in GOLDEN}) == len(GOLDEN)


@pytest.mark.parametrize("case", _golden_params())
def test_golden(engine: Engine, shipped_index: KnowledgeIndex, case: dict[str, Any]) -> None:
    reply = ask(engine, case["line"])
    text = render_text(reply)
    statuses = [case["status"]] if isinstance(case["status"], str) else case["status"]
    assert reply.status.value in statuses, text
    if "entry" in case:
        assert reply.entry_id, f"no entry answered: {text}"
        entry = shipped_index.entry(reply.entry_id)
        assert entry.name == case["entry"], text
        if "title" not in case:
            assert reply.title == title_of(entry)
    if reply.status is not Status.ANSWERED:
        assert reply.entry_id == "", "refused, yet named an entry"
        assert reply.title not in entry_names(shipped_index), "refused, yet titled as an entry"
        assert reply.citations == ()
    if "title" in case:
        assert reply.title == case["title"]
    if "says" in case:
        assert case["says"] in text
    offered = suggested(engine, reply) + [r.typed(engine.prefix) for r in reply.related]
    for suggestion in case.get("suggests", []):
        assert suggestion in offered
        if not reply.ok:
            # a refusal spells its suggestions out, as commands to type
            assert suggestion in commands_shown(engine, reply)
    assert_cited_from_the_article(shipped_index, reply)


# Parsing


@pytest.mark.parametrize(
    ("line", "command", "argument"),
    [
        ("!product RTX Pro", "product", "RTX Pro"),
        ("!PRODUCT rtx pro", "product", "rtx pro"),
        ("!Product  RTX   Pro  ", "product", "RTX Pro"),
        ("   !who jensen", "who", "jensen"),
        ("! product rtx", "product", "rtx"),
        ("!   brief", "brief", ""),
        ("!help", "help", ""),
    ],
)
def test_parse(engine: Engine, line: str, command: str, argument: str) -> None:
    assert engine.parse(line) == ChatLine(command, argument)


@pytest.mark.parametrize(
    "line", ["", "   ", "!", "  !  ", "hello", "product RTX Pro", "?product RTX Pro", "x!help"]
)
def test_lines_not_for_the_bot_get_no_reply(engine: Engine, line: str) -> None:
    assert engine.parse(line) is None
    assert engine.handle(line) is None


@pytest.mark.parametrize(
    ("line", "title", "entry_id"),
    [
        ("product RTX Pro", "RTX Pro", "rtx-pro"),
        ("!product RTX Pro", "RTX Pro", "rtx-pro"),
        ("  who jensen  ", "Jensen Huang", "jensen-huang"),
        ("BRIEF", ARTICLE_TITLE, ""),
    ],
)
def test_prefix_optional_when_not_required(
    engine: Engine, line: str, title: str, entry_id: str
) -> None:
    reply = engine.handle(line, require_prefix=False)
    assert reply is not None and reply.ok
    assert reply.title == title
    assert reply.entry_id == entry_id


@pytest.mark.parametrize("line", ["", "   ", "!", " ! "])
def test_nothing_to_answer_even_without_prefix(engine: Engine, line: str) -> None:
    assert engine.handle(line, require_prefix=False) is None


def test_another_prefix(shipped_index: KnowledgeIndex) -> None:
    other = Engine(FixedSource(shipped_index), prefix="bb.")
    assert other.handle("!product RTX Pro") is None
    reply = other.handle("bb.product RTX Pro")
    assert reply is not None and reply.entry_id == "rtx-pro"
    assert "bb.quote RTX Pro" in [s.typed(other.prefix) for s in reply.suggestions]
    usage = other.handle("bb.quote")
    assert usage is not None and usage.status is Status.USAGE
    assert commands_shown(other, usage) == ["bb.quote ABOUT", "bb.quote huawei"]
    assert "Use bb.quote ABOUT, for example bb.quote huawei." in render_text(usage, "bb.")


@pytest.mark.parametrize("line", ["!product\trtx pro", "!product\nrtx pro", "!help\tquote"])
def test_any_whitespace_separates_command_and_argument(engine: Engine, line: str) -> None:
    assert ask(engine, line).ok


# Every command


def test_brief_and_its_alias(engine: Engine, shipped_index: KnowledgeIndex) -> None:
    article = shipped_index.knowledge.articles[0]
    for line in ("!brief", "!summary", "!Summary"):
        reply = ask(engine, line)
        assert reply.status is Status.ANSWERED
        assert reply.title == ARTICLE_TITLE == article.title
        assert reply.article_title == ARTICLE_TITLE
        assert reply.entry_id == "" and reply.whole
        [key_points] = reply.sections
        assert key_points.title == "Key points" and key_points.numbered
        assert texts(key_points) == [p.text for p in article.briefing]
        assert [p.paragraphs for p in key_points.points] == [
            tuple(sorted({s.line for s in p.sources})) for p in article.briefing
        ]
        assert all(p.paragraphs for p in key_points.points)
        assert [plain(p.text) for p in reply.lead] == [p.text for p in article.context]
        text = render_text(reply)
        for number, key_point in enumerate(article.briefing, 1):
            assert f"\n{number}. {key_point.text}\u00a0¶" in text
        assert suggested(engine, reply) == ["!list", "!source"]
        assert_cited_from_the_article(shipped_index, reply)
        assert {c.line for c in reply.citations} >= {4, 5, 6, 13, 22}


@pytest.mark.parametrize(
    ("line", "entry_id", "title"),
    [
        ("!product RTX Pro", "rtx-pro", "RTX Pro"),
        ("!company Huawei", "huawei", "Huawei"),
        ("!who Jensen Huang", "jensen-huang", "Jensen Huang"),
        ("!topic Export controls", "export-controls", "Export controls"),
        (
            "!figure AI researcher share",
            "ai-researchers-share",
            "About 50% — Share of the world's AI researchers produced by China's education system",
        ),
    ],
)
def test_lookup_answers_the_entry_with_its_citations(
    engine: Engine, shipped_index: KnowledgeIndex, line: str, entry_id: str, title: str
) -> None:
    entry = shipped_index.entry(entry_id)
    reply = ask(engine, line)
    assert reply.status is Status.ANSWERED
    assert reply.entry_id == entry_id
    assert reply.title == title == title_of(entry)
    assert reply.label == entry.kind.info.heading
    [summary] = reply.lead
    assert plain(summary.text) == entry.summary
    assert summary.paragraphs == tuple(sorted({s.line for s in entry.sources}))
    assert reply.article_title == ARTICLE_TITLE
    assert [(c.line, c.excerpt) for c in reply.citations] == [
        (s.line, s.text) for s in entry.sources
    ]
    assert_cited_from_the_article(shipped_index, reply)
    if entry.aliases:
        also = section_titled(reply, "Also called")
        assert also.names and texts(also) == list(entry.aliases[:6])
    # the related entries are one command away, and each command answers that entry
    assert reply.related
    assert [answers(engine, link) for link in reply.related] == [
        key for key in entry.related if key in shipped_index.knowledge.entries
    ]


def test_lookup_sections_and_next_steps(engine: Engine) -> None:
    reply = ask(engine, "!product RTX Pro")
    assert [s.title for s in reply.sections] == ["Also called"]  # no Figure/Related/Statements
    assert texts(reply.sections[0]) == ["RTX Pro GPU"]
    assert [s.typed("!") for s in reply.related][:3] == [
        "!product Blackwell",
        "!product H20",
        "!company NVIDIA",
    ]
    assert suggested(engine, reply) == ["!quote RTX Pro", "!source RTX Pro"]
    assert [c.line for c in reply.citations] == [3, 5, 5]
    text = render_text(reply)
    assert "Related: Blackwell, H20, NVIDIA" in text
    assert "Next: !quote RTX Pro, !source RTX Pro" in text
    # an entry the article attributes nothing about offers no quote
    assert suggested(engine, ask(engine, "!product Hopper")) == ["!source Hopper"]


def test_figure_shows_its_value(engine: Engine) -> None:
    reply = ask(engine, "!figure session length")
    assert reply.title == "More than one hour — Length of the media exchange session"
    assert reply.label == "Key figure"
    assert reply.entry_id == "session-length"
    assert [c.line for c in reply.citations] == [2]
    assert render_text(reply).startswith(f"Key figure: {reply.title}\n")


def test_figure_without_a_name_lists_every_figure(
    engine: Engine, shipped_index: KnowledgeIndex
) -> None:
    reply = ask(engine, "!figure")
    assert reply.status is Status.ANSWERED
    assert reply.title == "Key figures"
    assert reply.entry_id == ""
    figures = shipped_index.knowledge.of_kind(Kind.FIGURE)
    [listed] = reply.sections
    assert [(p.label, plain(p.text)) for p in listed.points] == [(f.value, f.name) for f in figures]
    assert [p.paragraphs for p in listed.points] == [(f.sources[0].line,) for f in figures]
    assert [answers(engine, p.link) for p in listed.points if p.link] == [f.id for f in figures]
    text = render_text(reply)
    for figure in figures:
        assert f"- {figure.value}: {figure.name}\u00a0¶{figure.sources[0].line}" in text
    assert lead_text(reply) == "!figure NAME tells more about one."
    assert commands_shown(engine, reply) == ["!figure NAME"]
    assert len(reply.citations) == len(figures)
    assert_cited_from_the_article(shipped_index, reply)


def test_search_lists_entries_and_sentences(engine: Engine, shipped_index: KnowledgeIndex) -> None:
    reply = ask(engine, "!search inference efficiency")
    assert reply.status is Status.ANSWERED
    assert reply.title == "Search results"
    assert reply.entry_id == ""
    assert echoes(reply) == ["inference efficiency"]
    entries = section_titled(reply, "Entries")
    assert entries.names
    assert entries.points[0].text == ("DeepSeek R1",)
    assert entries.points[0].link == Suggestion("product", "DeepSeek R1")
    sentences = section_titled(reply, "In the article")
    sentence = (
        "He also praised the innovative architecture of models like DeepSeek R1, highlighting "
        "their significant breakthroughs in inference efficiency."
    )
    found = [p for p in sentences.points if plain(p.text) == sentence]
    assert [(p.paragraphs, p.quoted) for p in found] == [((15,), True)]
    assert f"“{sentence}”\u00a0¶15" in render_text(reply)
    assert reply.related[0].typed("!") == "!product DeepSeek R1"
    assert 15 in [c.line for c in reply.citations]
    assert_cited_from_the_article(shipped_index, reply)


@pytest.mark.parametrize("words", ["xyzzy", "qqq zzz", "the of and", "???"])
def test_search_finding_nothing(engine: Engine, words: str) -> None:
    reply = ask(engine, f"!search {words}")
    assert reply.status is Status.NOT_FOUND
    assert reply.title == "Nothing found"
    assert reply.entry_id == "" and reply.citations == ()
    assert echoes(reply) == [words]
    assert suggested(engine, reply) == ["!list"]
    assert commands_shown(engine, reply) == ["!list"]


def test_list_everything(engine: Engine, shipped_index: KnowledgeIndex) -> None:
    reply = ask(engine, "!list")
    knowledge = shipped_index.knowledge
    assert reply.title == "What I know"
    assert reply.whole
    assert lead_text(reply) == (
        f"{len(knowledge.entries)} entries and {len(knowledge.statements)} statements."
    )
    assert [s.title for s in reply.sections] == [
        "Products (!product)",
        "Companies (!company)",
        "People (!who)",
        "Topics (!topic)",
        "Figures (!figure)",
    ]
    for kind, section in zip(Kind, reply.sections, strict=True):
        assert section.names
        assert texts(section) == [e.name for e in knowledge.of_kind(kind)]
        assert [answers(engine, p.link) for p in section.points if p.link] == [
            e.id for e in knowledge.of_kind(kind)
        ]
    assert suggested(engine, reply) == ["!list quotes"]


@pytest.mark.parametrize(
    ("kind_word", "title", "kind", "command"),
    [
        ("products", "Products", Kind.PRODUCT, "product"),
        ("companies", "Companies", Kind.ORGANISATION, "company"),
        ("Organizations", "Companies", Kind.ORGANISATION, "company"),
        ("people", "People", Kind.PERSON, "who"),
        ("topics", "Topics", Kind.TOPIC, "topic"),
        ("figures", "Figures", Kind.FIGURE, "figure"),
    ],
)
def test_list_one_kind(
    engine: Engine,
    shipped_index: KnowledgeIndex,
    kind_word: str,
    title: str,
    kind: Kind,
    command: str,
) -> None:
    reply = ask(engine, f"!list {kind_word}")
    assert reply.status is Status.ANSWERED
    assert reply.title == title
    entries = shipped_index.knowledge.of_kind(kind)
    [section] = reply.sections
    assert texts(section) == [e.name for e in entries]
    assert [p.label for p in section.points] == [e.value or "" for e in entries]
    for p, entry in zip(section.points, entries, strict=True):
        assert p.link is not None and p.link.command == command
        assert answers(engine, p.link) == entry.id
    assert lead_text(reply) == f"!{command} NAME tells more about one."
    assert commands_shown(engine, reply) == [f"!{command} NAME"]
    assert [answers(engine, link) for link in reply.related] == [e.id for e in entries]
    text = render_text(reply)
    for entry in entries:
        assert (f"{entry.value}: {entry.name}" if entry.value else entry.name) in text


@pytest.mark.parametrize("word", ["quotes", "quote", "statements", "Statement"])
def test_list_quotes(engine: Engine, shipped_index: KnowledgeIndex, word: str) -> None:
    reply = ask(engine, f"!list {word}")
    statements = list(shipped_index.knowledge.statements)
    assert len(statements) == STATEMENT_COUNT
    assert reply.status is Status.ANSWERED
    assert reply.title == "Every statement in the article"
    # asked for all of them: all of them, each exactly once, no "more" left out
    assert sum(len(s.points) for s in reply.sections) == STATEMENT_COUNT
    assert_statements_shown(reply, statements)
    assert_one_label_per_group(shipped_index, reply)
    text = render_text(reply)
    assert len(re.findall(r"^- .*\u00a0¶\d+$", text, flags=re.MULTILINE)) == STATEMENT_COUNT
    assert "more" not in lead_text(reply)
    assert [c.line for c in reply.citations] == [s.excerpt.line for s in statements]
    assert_cited_from_the_article(shipped_index, reply)


def test_list_an_unknown_kind(engine: Engine) -> None:
    reply = ask(engine, "!list gadgets")
    assert reply.status is Status.USAGE
    assert reply.title == "Unknown list"
    assert "products, companies, people, topics, figures or quotes" in lead_text(reply)
    assert echoes(reply) == ["gadgets"]
    assert reply.suggestions == ()  # nothing is close: no guess


def test_source_without_a_name(engine: Engine, shipped_index: KnowledgeIndex) -> None:
    reply = ask(engine, "!source")
    article = shipped_index.knowledge.articles[0]
    assert reply.status is Status.ANSWERED
    assert reply.title == "Sources"
    assert "cites the article as ¶N, its paragraph N" in lead_text(reply)
    assert commands_shown(engine, reply) == ["!source NAME"]
    [articles] = reply.sections
    assert articles.title == "Articles"
    assert texts(articles) == [
        f"{article.title}: {len(article.text.paragraphs)} paragraphs, "
        f"{len(article.text.sentences)} sentences."
    ]


@pytest.mark.parametrize(
    ("name", "entry_id"), [("h20", "h20"), ("hauwei", "huawei"), ("华为", "huawei")]
)
def test_source_with_a_name(
    engine: Engine, shipped_index: KnowledgeIndex, name: str, entry_id: str
) -> None:
    entry = shipped_index.entry(entry_id)
    reply = ask(engine, f"!source {name}")
    assert reply.status is Status.ANSWERED
    assert reply.title == f"Sources: {entry.name}"
    assert reply.entry_id == entry_id
    count = len(entry.sources)
    assert lead_text(reply) == (
        f"{entry.name} rests on {count} excerpt{'s' * (count != 1)} of the article:"
    )
    # here, and only here, the excerpts are shown: quoted, each with its ¶ mark
    shown = [(plain(p.text), p.paragraphs, p.quoted) for s in reply.sections for p in s.points]
    assert shown == [(s.text, (s.line,), True) for s in entry.sources]
    text = render_text(reply)
    for excerpt in entry.sources:
        assert text.count(f"“{excerpt.text}”\u00a0¶{excerpt.line}") == 1
    assert [(c.line, c.excerpt) for c in reply.citations] == [
        (s.line, s.text) for s in entry.sources
    ]
    assert [answers(engine, s) for s in reply.suggestions] == [entry_id]


def test_source_unsure_and_unknown(engine: Engine) -> None:
    unsure = ask(engine, "!source china")
    assert unsure.status is Status.AMBIGUOUS
    assert unsure.suggestions and all(s.command == "source" for s in unsure.suggestions)
    assert unsure.entry_id == ""
    unknown = ask(engine, "!source xyzzy")
    assert unknown.status is Status.NOT_FOUND
    assert unknown.entry_id == ""
    assert echoes(unknown) == ["xyzzy"]


def test_source_unknown_points_at_a_clean_list_command(engine: Engine) -> None:
    reply = ask(engine, "!source xyzzy")
    assert "!list" in commands_shown(engine, reply)
    assert Suggestion("list", "") in reply.suggestions


def test_help_lists_every_command(engine: Engine) -> None:
    reply = ask(engine, "!help")
    assert reply.status is Status.ANSWERED
    assert reply.title == "What I can do"
    [listed] = reply.sections
    assert [plain(p.text) for p in listed.points] == [
        f"{command.usage('!')}: {command.summary}" for command in COMMANDS
    ]
    for p, command in zip(listed.points, COMMANDS, strict=True):
        assert isinstance(p.text[0], Suggestion)  # the usage is a command to type
        assert p.text[0].typed("!") == command.usage("!")
    assert "!help COMMAND" in commands_shown(engine, reply)


@pytest.mark.parametrize(
    ("argument", "title", "usage"),
    [
        ("quote", "!quote", "!quote ABOUT"),
        ("!quote", "!quote", "!quote ABOUT"),
        ("QUOTE", "!quote", "!quote ABOUT"),
        ("figure", "!figure", "!figure [NAME]"),
        ("summary", "!brief", "!brief [ARTICLE]"),
    ],
)
def test_help_on_one_command(engine: Engine, argument: str, title: str, usage: str) -> None:
    reply = ask(engine, f"!help {argument}")
    assert reply.status is Status.ANSWERED
    assert reply.title == title
    details = [plain(p.text) for s in reply.sections for p in s.points]
    assert f"Usage: {usage}" in details
    assert any(line.startswith("Example: !") for line in details)
    assert usage in commands_shown(engine, reply)


def test_help_names_aliases(engine: Engine) -> None:
    reply = ask(engine, "!help brief")
    assert "Also: !summary" in [plain(p.text) for s in reply.sections for p in s.points]
    assert "!summary" in commands_shown(engine, reply)


def test_help_on_an_unknown_command(engine: Engine) -> None:
    reply = ask(engine, "!help qoute")
    assert reply.status is Status.UNKNOWN_COMMAND
    assert suggested(engine, reply) == ["!quote"]
    far = ask(engine, "!help dance")
    assert far.status is Status.UNKNOWN_COMMAND
    assert far.suggestions == ()


# Quotes


def test_quote_shows_direct_and_reported_speech(
    engine: Engine, shipped_index: KnowledgeIndex
) -> None:
    reply = ask(engine, "!quote market cap")
    assert reply.status is Status.ANSWERED
    assert reply.title == "Jensen Huang on NVIDIA's market-cap journey"
    assert reply.entry_id == "market-cap-journey"
    statements = shipped_index.knowledge.statements_about(shipped_index.entry("market-cap-journey"))
    direct = [s for s in statements if s.direct]
    reported = [s for s in statements if not s.direct]
    assert direct and reported
    assert [s.title for s in reply.sections] == [DIRECT, REPORTED]
    quoted, told = reply.sections
    assert texts(quoted) == [s.text for s in direct]
    assert all(p.quoted for p in quoted.points)
    assert texts(told) == [s.text for s in reported]
    assert not any(p.quoted for p in told.points)
    assert_statements_shown(reply, statements)
    text = render_text(reply)
    for statement in reported:
        assert f"- “{statement.text}" not in text  # reported speech is not put in quotes
    assert [c.line for c in reply.citations] == [s.excerpt.line for s in statements]
    assert_cited_from_the_article(shipped_index, reply)


def test_every_statement_is_shown_as_its_kind(
    engine: Engine, shipped_index: KnowledgeIndex
) -> None:
    reply = ask(engine, "!list quotes")
    where = {
        (plain(p.text), p.paragraphs): (section.title, p)
        for section in reply.sections
        for p in section.points
    }
    for statement in shipped_index.knowledge.statements:
        title, p = where[(statement.text, (statement.excerpt.line,))]
        rendered = render_point(p)
        assert rendered.endswith(f"\u00a0¶{statement.excerpt.line}")
        if statement.direct:
            assert title == DIRECT and p.quoted
            assert rendered.startswith(f"“{statement.text}”")
        else:
            assert title == REPORTED and not p.quoted
            assert rendered.startswith(f"{statement.text}\u00a0")


@pytest.mark.parametrize(
    ("subject", "entry_id", "count"),
    [
        ("huawei", "huawei", 3),
        ("华为", "huawei", 3),
        ("tiktok", "tiktok", 1),
        ("deepseek", "deepseek", 2),
        ("Xiaohongshu", "xiaohongshu", 1),
        ("export controls", "export-controls", 2),
    ],
)
def test_quote_about_a_subject(
    engine: Engine, shipped_index: KnowledgeIndex, subject: str, entry_id: str, count: int
) -> None:
    entry = shipped_index.entry(entry_id)
    statements = shipped_index.knowledge.statements_about(entry)
    reply = ask(engine, f"!quote {subject}")
    assert reply.status is Status.ANSWERED
    assert reply.title == f"Jensen Huang on {entry.name}"
    assert reply.entry_id == entry_id
    [told] = reply.sections
    assert told.title == REPORTED
    assert len(told.points) == count == len(statements)
    assert_statements_shown(reply, statements)
    assert [c.line for c in reply.citations] == [s.excerpt.line for s in statements]
    assert_cited_from_the_article(shipped_index, reply)


def test_quote_by_a_speaker_shows_every_statement(
    engine: Engine, shipped_index: KnowledgeIndex
) -> None:
    reply = ask(engine, "!quote jensen")
    statements = [s for s in shipped_index.knowledge.statements if s.speaker == "jensen-huang"]
    assert len(statements) == STATEMENT_COUNT
    assert reply.title == "Jensen Huang, in the article"
    assert reply.entry_id == "jensen-huang"
    assert_statements_shown(reply, statements)  # no cap: the front ends page
    assert_one_label_per_group(shipped_index, reply)
    assert len(reply.citations) == STATEMENT_COUNT
    assert len(render_pages(reply)) > 1


def test_quote_by_words(engine: Engine) -> None:
    reply = ask(engine, "!quote extremely naive")
    assert reply.status is Status.ANSWERED
    assert reply.title == "Jensen Huang on those words"
    assert plain(reply.lead[0].text) == "Statements with the words extremely naive:"
    assert reply.entry_id == ""  # words, not an entry
    [told] = reply.sections
    assert told.title == REPORTED
    assert told.points[0].text == (
        "underestimating Huawei and China’s manufacturing capabilities is extremely naive",
    )
    assert told.points[0].paragraphs == (13,)
    assert reply.citations[0].line == 13


def test_quote_about_an_entry_without_statements(engine: Engine) -> None:
    reply = ask(engine, "!quote hopper")
    assert reply.status is Status.NOT_FOUND
    assert reply.title == "No statement"
    assert reply.entry_id == ""
    assert commands_shown(engine, reply) == ["!product Hopper"]
    assert suggested(engine, reply) == ["!product Hopper"]


def test_quote_about_nothing_known(engine: Engine) -> None:
    reply = ask(engine, "!quote xyzzy")
    assert reply.status is Status.NOT_FOUND
    assert reply.citations == ()
    assert reply.entry_id == ""
    assert echoes(reply) == ["xyzzy"]


@pytest.mark.parametrize(
    ("subject", "suggestion"),
    [("hauwe", "!quote Huawei"), ("amazon web services", "!quote Amazon")],
)
def test_quote_unsure_suggests_quotes(engine: Engine, subject: str, suggestion: str) -> None:
    reply = ask(engine, f"!quote {subject}")
    assert reply.status is Status.AMBIGUOUS
    assert suggested(engine, reply) == [suggestion]
    assert commands_shown(engine, reply) == [suggestion]


def test_quote_h200_is_not_the_h20(engine: Engine) -> None:
    reply = ask(engine, "!quote H200")
    assert reply.status is not Status.ANSWERED
    assert reply.entry_id == "" and reply.citations == ()
    assert "H20 " not in lead_text(reply)


def test_statements_of_several_speakers_are_grouped_by_speaker(knowledge_file: Path) -> None:
    # A second speaker for one of the three statements about Huawei.
    edit_file(
        knowledge_file,
        "  # ------------------------------------------------------------------ topics\n",
        "  - id: analyst\n"
        "    kind: person\n"
        "    name: The analyst\n"
        '    aliases: ["analyst"]\n'
        "    summary: An analyst the article cites.\n"
        "    related: [nvidia]\n"
        "    sources:\n"
        '      - "attended a media exchange session"\n\n'
        "  # ------------------------------------------------------------------ topics\n",
    )
    edit_file(
        knowledge_file,
        "  - id: st-chinese-companies-competitiveness\n    speaker: jensen-huang\n",
        "  - id: st-chinese-companies-competitiveness\n    speaker: analyst\n",
    )
    index = KnowledgeIndex.build(load_knowledge(knowledge_file.parent))
    reply = Engine(FixedSource(index)).run("quote", "huawei")
    assert reply.status is Status.ANSWERED
    assert reply.title == "Statements about Huawei"
    assert reply.entry_id == "huawei"
    assert [s.title for s in reply.sections] == [
        "Jensen Huang, as the article reports it",
        "The analyst, as the article reports it",
    ]
    assert [len(s.points) for s in reply.sections] == [2, 1]
    assert_statements_shown(reply, index.knowledge.statements_about(index.entry("huawei")))
    assert_one_label_per_group(index, reply)
    only_analyst = Engine(FixedSource(index)).run("quote", "the analyst")
    assert only_analyst.title == "The analyst, in the article"
    assert [s.title for s in only_analyst.sections] == [REPORTED]


# Cross-kind, out of scope, ambiguous


@pytest.mark.parametrize(
    ("line", "entry_id", "pointer"),
    [
        ("!product huawei", "huawei", "!company Huawei"),
        ("!company h20", "h20", "!product H20"),
        ("!who huawei", "huawei", "!company Huawei"),
        ("!topic RTX Pro", "rtx-pro", "!product RTX Pro"),
        ("!figure jensen huang", "jensen-huang", "!who Jensen Huang"),
        ("!product export controls", "export-controls", "!topic Export controls"),
    ],
)
def test_wrong_kind_answers_and_points_to_the_right_command(
    engine: Engine, shipped_index: KnowledgeIndex, line: str, entry_id: str, pointer: str
) -> None:
    reply = ask(engine, line)
    assert reply.status is Status.ANSWERED
    assert reply.entry_id == entry_id
    assert reply.title == shipped_index.entry(entry_id).name
    assert commands_shown(engine, reply) == [pointer]
    assert f"{pointer} finds it directly" in render_text(reply)


OUT_OF_SCOPE = [
    "iPhone",
    "Intel",
    "Microsoft",
    "Elon Musk",
    "Lisa Su",
    "H100",
    "OpenAI",
    "Tesla",
    "Apple",
    "Samsung",
    "Baidu",
    "Tencent",
]


@pytest.mark.parametrize("name", OUT_OF_SCOPE)
def test_out_of_scope_names_are_refused(
    engine: Engine, shipped_index: KnowledgeIndex, name: str
) -> None:
    names = entry_names(shipped_index)
    for command in (*LOOKUPS, "quote", "source"):
        reply = ask(engine, f"!{command} {name}")
        assert reply.status is Status.NOT_FOUND, f"!{command} {name}: {reply.status}"
        assert reply.title in ("Not in the article", "No statement")
        assert reply.title not in names
        assert reply.entry_id == ""
        assert reply.citations == () and reply.paragraphs == ()
        assert echoes(reply) == [name]


@pytest.mark.parametrize("command", ["product", "company", "who", "topic"])
def test_not_found_points_to_list_and_search(engine: Engine, command: str) -> None:
    reply = ask(engine, f"!{command} Microsoft")
    plural = {"product": "products", "company": "companies", "who": "people", "topic": "topics"}
    assert commands_shown(engine, reply) == [f"!list {plural[command]}", "!search"]
    assert suggested(engine, reply) == ["!search Microsoft", f"!list {plural[command]}"]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("!topic china", "China"),
        ("!topic competition", "Compet"),
        ("!topic exports", "Export"),
    ],
)
def test_ambiguous_offers_up_to_three(engine: Engine, line: str, names: str) -> None:
    reply = ask(engine, line)
    assert reply.status is Status.AMBIGUOUS
    assert reply.title == "Did you mean …?"
    assert 1 <= len(reply.suggestions) <= 3
    assert names in reply.suggestions[0].argument
    assert commands_shown(engine, reply) == suggested(engine, reply)
    assert reply.citations == ()
    assert reply.entry_id == ""


def test_ambiguous_china_offers_china_topics(engine: Engine) -> None:
    reply = ask(engine, "!topic china")
    assert len(reply.suggestions) == 3
    assert all(s.command == "topic" and "China" in s.argument for s in reply.suggestions)
    assert echoes(reply) == ["china"]


# Unknown commands and usage


@pytest.mark.parametrize(
    ("name", "closest"),
    [
        ("prodcut", "product"),
        ("qoute", "quote"),
        ("serach", "search"),
        ("hlep", "help"),
        ("compnay", "company"),
        ("sumary", "brief"),
        ("lsit", "list"),
        ("figures", "figure"),
        ("PRODCUT", "product"),
    ],
)
def test_unknown_command_suggests_the_whole_corrected_line(
    engine: Engine, name: str, closest: str
) -> None:
    reply = ask(engine, f"!{name} huawei")
    assert reply.status is Status.UNKNOWN_COMMAND
    assert reply.title == "Unknown command"
    assert reply.suggestions == (Suggestion(closest, "huawei"),)
    assert echoes(reply) == [f"!{name.casefold()}"]
    assert commands_shown(engine, reply) == [f"!{closest} huawei"]
    assert f"Did you mean !{closest} huawei?" in lead_text(reply)


def test_unknown_command_alone_suggests_the_command_alone(engine: Engine) -> None:
    reply = ask(engine, "!qoute")
    assert reply.suggestions == (Suggestion("quote"),)
    assert "Did you mean !quote?" in lead_text(reply)


def test_unknown_command_with_a_long_argument_suggests_the_command_alone(engine: Engine) -> None:
    reply = ask(engine, "!qoute " + "huawei " * 20)
    assert reply.suggestions == (Suggestion("quote"),)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("prodcts", "products"), ("compnies", "companies"), ("qoutes", "quotes"), ("peple", "people")],
)
def test_a_misspelt_list_suggests_the_list(engine: Engine, typed: str, meant: str) -> None:
    reply = ask(engine, f"!list {typed}")
    assert reply.status is Status.USAGE
    assert reply.suggestions == (Suggestion("list", meant),)
    assert f"Did you mean !list {meant}?" in lead_text(reply)
    assert echoes(reply) == [typed]


def test_a_servers_own_prefix_parses_and_names_commands(engine: Engine) -> None:
    assert engine.handle("!prodcut rtx", prefix="?") is None  # not this server's prefix
    reply = engine.handle("?prodcut rtx", prefix="?")
    assert reply is not None and reply.suggestions == (Suggestion("product", "rtx"),)
    assert echoes(reply) == ["?prodcut"]
    answered = engine.run("help", "", prefix="?")
    shown = [plain(p.text, "?") for section in answered.sections for p in section.points]
    assert any(line.startswith("?product") for line in shown), shown
    assert not any("!product" in line for line in shown)


@pytest.mark.parametrize("name", ["hello", "ping", "tldr", "info", "xyzzy", "what"])
def test_unknown_command_far_from_any(engine: Engine, name: str) -> None:
    reply = ask(engine, f"!{name} huawei")
    assert reply.status is Status.UNKNOWN_COMMAND
    assert reply.suggestions == ()
    assert echoes(reply) == [f"!{name}"]
    assert lead_text(reply) == f"There is no !{name} command. !help lists what I can do."
    assert commands_shown(engine, reply) == ["!help"]


@pytest.mark.parametrize(
    ("command", "needs", "usage", "example"),
    [
        ("product", "a name", "!product NAME", "!product RTX Pro"),
        ("company", "a name", "!company NAME", "!company Huawei"),
        ("who", "a name", "!who NAME", "!who Jensen Huang"),
        ("topic", "a name", "!topic NAME", "!topic export controls"),
        ("quote", "a subject or a speaker", "!quote ABOUT", "!quote huawei"),
        ("search", "words to look for", "!search WORDS", "!search inference efficiency"),
    ],
)
def test_missing_required_argument(
    engine: Engine, command: str, needs: str, usage: str, example: str
) -> None:
    for line in (f"!{command}", f"!{command}    ", f"!{command.upper()}"):
        reply = ask(engine, line)
        assert reply.status is Status.USAGE
        assert reply.title == f"!{command} needs {needs}"
        assert lead_text(reply) == f"Use {usage}, for example {example}."
        assert commands_shown(engine, reply) == [usage, example]
        assert suggested(engine, reply) == [example]


@pytest.mark.parametrize("command", ["product", "quote", "search"])
def test_an_argument_of_control_characters_is_missing(engine: Engine, command: str) -> None:
    assert ask(engine, f"!{command} \u200b\x00\u202e").status is Status.USAGE


@pytest.mark.parametrize("command", ["brief", "figure", "list", "source", "help"])
def test_optional_arguments_may_be_left_out(engine: Engine, command: str) -> None:
    assert ask(engine, f"!{command}").status is Status.ANSWERED


# What every reply must never contain, and must always carry

FURNITURE = re.compile(
    r"[A-Z]{2,5}--|NVIDIANVDA|AMDAMD|QualcommQCOM|AmazonAMZN|Expert analysis|Latest Articles|"
    r"Stay ahead of the market|curated U\.S\. market news|No comments yet"
)
KIND_WORDS = ["products", "companies", "people", "topics", "figures", "quotes"]


def _every_reply(engine: Engine, index: KnowledgeIndex, command: str) -> list[tuple[str, Reply]]:
    names = [name for entry in index.knowledge.entries.values() for name in entry.names]
    arguments = ["", *names, *KIND_WORDS, "nvidia amd qualcomm amazon", "NVDA", "comments"]
    return [(f"!{command} {argument}", engine.run(command, argument)) for argument in arguments]


@pytest.mark.parametrize("command", [command.name for command in COMMANDS])
def test_no_reply_holds_ticker_debris_or_page_furniture(
    engine: Engine, shipped_index: KnowledgeIndex, command: str
) -> None:
    for line, reply in _every_reply(engine, shipped_index, command):
        text = render_text(reply)
        found = FURNITURE.search(text)
        assert found is None, f"{line}: {found.group()!r}"
        assert_cited_from_the_article(shipped_index, reply)


@pytest.mark.parametrize("command", [command.name for command in COMMANDS])
def test_no_reply_repeats_an_excerpt(
    engine: Engine, shipped_index: KnowledgeIndex, command: str
) -> None:
    """The excerpts travel as citations; the text shows each at most once (an excerpt that
    stands inside another, longer one is shown inside it)."""
    for line, reply in _every_reply(engine, shipped_index, command):
        text = render_text(reply)
        excerpts = {c.excerpt for c in reply.citations}
        for excerpt in excerpts:
            holders = sum(excerpt in other for other in excerpts)
            assert text.count(excerpt) <= holders, f"{line}: {excerpt!r} shown twice"
        if reply.entry_id and reply.label:  # an entry's answer: its summary, not its excerpts
            entry = shipped_index.entry(reply.entry_id)
            assert not any(p.quoted for p in points(reply)), line
            for excerpt in excerpts:
                assert text.count(excerpt) == entry.summary.count(excerpt), f"{line}: {excerpt!r}"


def _answered_about_entries(engine: Engine, index: KnowledgeIndex) -> list[tuple[str, Reply]]:
    replies = []
    for entry in index.knowledge.entries.values():
        line = f"!{entry.kind.info.command} {entry.name}"
        replies.append((line, ask(engine, line)))
        if index.knowledge.statements_about(entry):
            replies.append((f"!quote {entry.name}", ask(engine, f"!quote {entry.name}")))
    replies.append(("!figure", ask(engine, "!figure")))
    replies.append(("!list quotes", ask(engine, "!list quotes")))
    return replies


def test_every_answer_carries_its_paragraph_marks_inline(
    engine: Engine, shipped_index: KnowledgeIndex
) -> None:
    replies = _answered_about_entries(engine, shipped_index)
    assert len(replies) > len(shipped_index.knowledge.entries)
    for line, reply in replies:
        assert reply.status is Status.ANSWERED, line
        assert reply.paragraphs, f"{line}: no ¶ mark"
        assert reply.citations, line
        cited = {c.line for c in reply.citations}
        assert cited <= set(reply.paragraphs), f"{line}: a cited paragraph is not marked"
        assert marks_in(render_text(reply)) == set(reply.paragraphs), line
        assert all(p.paragraphs for s in reply.sections for p in s.points if p.quoted), line


def test_every_entry_answer_names_its_entry(engine: Engine, shipped_index: KnowledgeIndex) -> None:
    for entry in shipped_index.knowledge.entries.values():
        reply = ask(engine, f"!{entry.kind.info.command} {entry.name}")
        assert reply.entry_id == entry.id
        assert reply.title == title_of(entry)
        assert reply.label == entry.kind.info.heading
        source = reply.suggestions[-1]
        assert source.command == "source"
        assert engine.run(source.command, source.argument).entry_id == entry.id
        quote = [s for s in reply.suggestions if s.command == "quote"]
        assert bool(quote) == bool(shipped_index.knowledge.statements_about(entry))
        for suggestion in quote:
            assert engine.run(suggestion.command, suggestion.argument).entry_id == entry.id


@pytest.mark.parametrize("command", ["quote", "list"])
def test_statements_are_grouped_under_one_label_per_group(
    engine: Engine, shipped_index: KnowledgeIndex, command: str
) -> None:
    if command == "list":
        replies = [ask(engine, "!list quotes")]
    else:
        replies = [
            ask(engine, f"!quote {entry.name}")
            for entry in shipped_index.knowledge.entries.values()
            if shipped_index.knowledge.statements_about(entry)
        ]
    for reply in replies:
        assert reply.sections, reply.title
        assert_one_label_per_group(shipped_index, reply)


# Echoed user text

HOSTILE = [
    "@everyone",
    "@here huawei",
    "@everyone huawei smartphones",
    "`@everyone` huawei",
    "``` @everyone ```",
    "a\x00b\x07c\x1b[31m @everyone",
    "\u202eevil\u200b @everyone",
    "line\nbreak @everyone",
    "h\u0301\u0301\u0301\u0301\u0301uawei @everyone",
    "@everyone " + "x" * 500,
]
ECHOING = ["product", "company", "who", "topic", "figure", "quote", "search", "list", "source"]


def _no_control_characters(text: str) -> None:
    for char in text:
        assert char == "\n" or unicodedata.category(char)[0] != "C", repr(char)


def _check_discord(text: str) -> None:
    """Discord Markdown: every code span closed, nothing pings outside one."""
    _no_control_characters(text)
    for line in text.splitlines():
        assert line.count("`") % 2 == 0, f"unbalanced code span: {line!r}"
        outside = re.sub(r"`[^`]*`", "", line)
        assert "@everyone" not in outside and "@here" not in outside, line


def _check_inert(reply: Reply) -> None:
    """The user's words reach a reply only as `Echo` segments: short, clean, never markup."""
    for segment in segments(reply):
        if isinstance(segment, Echo):
            _no_control_characters(segment.text)
            assert "\n" not in segment.text and len(segment.text) <= 60
        elif isinstance(segment, str):
            assert "@everyone" not in segment and "@here" not in segment, segment
    _no_control_characters(reply.title)
    assert "@everyone" not in reply.title and "@here" not in reply.title
    _no_control_characters(render_text(reply))
    for page in render_pages(reply):
        _check_discord(page.embed.description or "")
        _check_discord(page.embed.title or "")


def _echo_params() -> list[Any]:
    return [
        pytest.param(command, hostile, id=f"{command}-{number}")
        for command in ECHOING
        for number, hostile in enumerate(HOSTILE)
    ]


@pytest.mark.parametrize(("command", "hostile"), _echo_params())
def test_echoed_text_is_safe(engine: Engine, command: str, hostile: str) -> None:
    reply = ask(engine, f"!{command} {hostile}")
    _check_inert(reply)
    if not reply.ok:
        assert reply.entry_id == "" and reply.citations == ()


@pytest.mark.parametrize("command", ECHOING)
def test_the_users_words_come_back_as_an_echo(engine: Engine, command: str) -> None:
    reply = ask(engine, f"!{command} @everyone **zzzq**")
    assert reply.status is not Status.ANSWERED
    assert echoes(reply) == ["@everyone **zzzq**"]
    assert "“@everyone **zzzq**”" in render_text(reply)
    assert "`@everyone **zzzq**`" in render_pages(reply)[0].embed.description


@pytest.mark.parametrize("typed", ["extremely naive `", "extremely naive *", "extremely naive @"])
def test_quote_by_words_keeps_the_users_words_out_of_the_title(engine: Engine, typed: str) -> None:
    reply = ask(engine, f"!quote {typed}")
    assert reply.ok
    assert reply.title == "Jensen Huang on those words"
    assert Echo(typed) in segments(reply)  # said back in the lead, inert
    _check_discord(render_pages(reply)[0].embed.title or "")


@pytest.mark.parametrize("hostile", ["@everyone", "`rm`@everyone", "\x07@here", "x" * 5_000])
def test_unknown_command_echo_is_safe(engine: Engine, hostile: str) -> None:
    reply = ask(engine, f"!{hostile}")
    assert reply.status is Status.UNKNOWN_COMMAND
    _check_inert(reply)
    [echoed] = echoes(reply)
    assert len(echoed) <= 60  # the echo is cut to 60 characters


def test_echo_is_short(engine: Engine) -> None:
    reply = ask(engine, "!company " + "z" * 300)
    assert reply.status is Status.NOT_FOUND
    [echoed] = echoes(reply)
    assert echoed.endswith("…")
    assert len(echoed) == 60


def test_a_huge_chat_line_is_answered_quickly(engine: Engine) -> None:
    for line in ("!product " + "huawei " * 3_000, "!search " + "x" * 20_000, "!" + "q" * 20_000):
        started = time.perf_counter()
        reply = ask(engine, line)
        assert time.perf_counter() - started < 1.0
        assert len(render_text(reply)) < 5_000


# Autocomplete for slash commands


def test_complete_offers_names_of_the_commands_kind(engine: Engine) -> None:
    assert engine.complete("product", "")[:3] == ["RTX Pro", "H20", "Blackwell"]
    assert engine.complete("company", "hauw")[0] == "Huawei"
    assert engine.complete("who", "jen") == ["Jensen Huang"]
    assert "Huawei" not in engine.complete("product", "")
    assert len(engine.complete("topic", "", limit=5)) == 5


def test_without_the_prefix_a_line_that_is_no_command_is_a_question(engine: Engine) -> None:
    reply = engine.handle("what did huang say about huawei", require_prefix=False)
    assert reply is not None and reply.asked == Suggestion("ask", "what did huang say about huawei")
    assert reply.title == "Jensen Huang on Huawei"
    # A command, or a near miss of one, is still taken as one; with the prefix nothing changes.
    near = engine.handle("prodcut rtx", require_prefix=False)
    assert near is not None and near.status is Status.UNKNOWN_COMMAND
    command = engine.handle("product rtx pro", require_prefix=False)
    assert command is not None and command.title == "RTX Pro"
    prefixed = engine.handle("!what did huang say", require_prefix=False)
    assert prefixed is not None and prefixed.status is Status.UNKNOWN_COMMAND

"""The engine: chat lines in, replies out, over the shipped knowledge.

Asserts what a user sees: the status, the title, the entry answered, the suggestions offered
and the citations with their line numbers.
"""

from __future__ import annotations

import re
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.answers import format_statement
from bot.engine import COMMANDS, ChatLine, Engine
from bot.index import KnowledgeIndex
from bot.knowledge import Kind
from bot.render_text import render_text
from bot.reply import Reply, Status, Suggestion

GOLDEN = yaml.safe_load((Path(__file__).with_name("golden_queries.yaml")).read_text("utf-8"))
ARTICLE_TITLE = (
    "Jensen Huang Shares His Vision For NVIDIA, Also Deepening His Commitment to China’s AI Future"
)
LOOKUPS = ("product", "company", "who", "topic", "figure")
KIND_LABEL = {
    "product": "product",
    "company": "company or organisation",
    "who": "person",
    "topic": "topic",
    "figure": "key figure",
}


def ask(engine: Engine, line: str) -> Reply:
    reply = engine.handle(line)
    assert reply is not None, f"{line!r} was not taken as a command"
    return reply


def suggested(engine: Engine, reply: Reply) -> list[str]:
    return [s.typed(engine.prefix) for s in reply.suggestions]


def entry_titles(index: KnowledgeIndex) -> set[str]:
    return {f"{e.name} · {e.kind.label}" for e in index.knowledge.entries.values()}


def assert_cited_from_the_article(index: KnowledgeIndex, reply: Reply) -> None:
    """Every citation's excerpt stands, word for word, on the line it names."""
    article = index.knowledge.articles[0]
    for citation in reply.citations:
        assert citation.source == article.source
        assert citation.excerpt in article.text.paragraph(citation.line).text, citation


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
        assert reply.title.split(" · ")[0] == case["entry"], text
        assert reply.title in entry_titles(shipped_index)
    elif reply.status is not Status.ANSWERED:
        assert reply.title not in entry_titles(shipped_index), "refused, yet named an entry"
    if "title" in case:
        assert reply.title == case["title"]
    if "says" in case:
        assert case["says"] in text
    for suggestion in case.get("suggests", []):
        assert suggestion in suggested(engine, reply)
        if not reply.ok:
            assert f"`{suggestion}`" in text  # a refusal spells its suggestions out
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
    ("line", "title"),
    [
        ("product RTX Pro", "RTX Pro · product"),
        ("!product RTX Pro", "RTX Pro · product"),
        ("  who jensen  ", "Jensen Huang · person"),
        ("BRIEF", ARTICLE_TITLE),
    ],
)
def test_prefix_optional_when_not_required(engine: Engine, line: str, title: str) -> None:
    reply = engine.handle(line, require_prefix=False)
    assert reply is not None and reply.title == title


@pytest.mark.parametrize("line", ["", "   ", "!", " ! "])
def test_nothing_to_answer_even_without_prefix(engine: Engine, line: str) -> None:
    assert engine.handle(line, require_prefix=False) is None


def test_another_prefix(shipped_index: KnowledgeIndex) -> None:
    class Source:
        current = shipped_index

    other = Engine(Source(), prefix="bb.")
    assert other.handle("!product RTX Pro") is None
    reply = other.handle("bb.product RTX Pro")
    assert reply is not None and reply.title == "RTX Pro · product"
    assert "bb.quote RTX Pro" in [s.typed(other.prefix) for s in reply.suggestions]
    usage = other.handle("bb.quote")
    assert usage is not None and "`bb.quote ABOUT`" in usage.body


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
        points = reply.body.splitlines()
        assert len(points) == len(article.briefing)
        assert [p.split(". ", 1)[0] for p in points] == [str(n) for n in range(1, len(points) + 1)]
        [context] = reply.fields
        assert context.name == "Context"
        assert context.value.splitlines() == [point.text for point in article.context]
        assert suggested(engine, reply) == ["!list", "!source"]
        assert_cited_from_the_article(shipped_index, reply)
        assert {c.line for c in reply.citations} >= {4, 5, 6, 13, 22}


@pytest.mark.parametrize(
    ("line", "entry_id"),
    [
        ("!product RTX Pro", "rtx-pro"),
        ("!company Huawei", "huawei"),
        ("!who Jensen Huang", "jensen-huang"),
        ("!topic Export controls", "export-controls"),
        ("!figure AI researcher share", "ai-researchers-share"),
    ],
)
def test_lookup_answers_the_entry_with_its_citations(
    engine: Engine, shipped_index: KnowledgeIndex, line: str, entry_id: str
) -> None:
    entry = shipped_index.entry(entry_id)
    reply = ask(engine, line)
    assert reply.status is Status.ANSWERED
    assert reply.title == f"{entry.name} · {entry.kind.label}"
    assert reply.body == entry.summary
    assert reply.article_title == ARTICLE_TITLE
    assert [(c.line, c.excerpt) for c in reply.citations] == [
        (s.line, s.text) for s in entry.sources
    ]
    assert_cited_from_the_article(shipped_index, reply)
    fields = {field.name: field.value for field in reply.fields}
    if entry.aliases:
        assert fields["Also called"].startswith(entry.aliases[0])
    assert "Related" in fields


def test_lookup_fields(engine: Engine) -> None:
    reply = ask(engine, "!product RTX Pro")
    fields = {field.name: field.value for field in reply.fields}
    assert fields["Also called"] == "RTX Pro GPU"
    assert fields["Related"].startswith("Blackwell (product), H20 (product), NVIDIA (company)")
    assert fields["Statements"] == "1 in the article: `!quote RTX Pro`"
    assert suggested(engine, reply) == ["!quote RTX Pro", "!product Blackwell", "!product H20"]
    assert [c.line for c in reply.citations] == [3, 5, 5]


def test_figure_shows_its_value(engine: Engine) -> None:
    reply = ask(engine, "!figure session length")
    assert reply.title == "Length of the media exchange session · key figure"
    assert ("Figure", "more than one hour") in [(f.name, f.value) for f in reply.fields]
    assert [c.line for c in reply.citations] == [2]


def test_figure_without_a_name_lists_every_figure(
    engine: Engine, shipped_index: KnowledgeIndex
) -> None:
    reply = ask(engine, "!figure")
    assert reply.status is Status.ANSWERED
    assert reply.title == "Key figures"
    figures = shipped_index.knowledge.of_kind(Kind.FIGURE)
    for figure in figures:
        assert f"**{figure.value}**: {figure.name}" in reply.body
    assert "`!figure NAME` tells more about one." in reply.body
    assert len(reply.citations) == len(figures)
    assert_cited_from_the_article(shipped_index, reply)


def test_search_lists_entries_and_sentences(engine: Engine, shipped_index: KnowledgeIndex) -> None:
    reply = ask(engine, "!search inference efficiency")
    assert reply.status is Status.ANSWERED
    assert reply.title == "Search results"
    assert "`inference efficiency`" in reply.body
    fields = {field.name: field.value for field in reply.fields}
    assert fields["Entries"].splitlines()[0] == "**DeepSeek R1** · `!product DeepSeek R1`"
    assert (
        "¶15: He also praised the innovative architecture of models like DeepSeek R1"
        in (fields["In the article"])
    )
    assert suggested(engine, reply)[0] == "!product DeepSeek R1"
    assert 15 in [c.line for c in reply.citations]
    assert_cited_from_the_article(shipped_index, reply)


@pytest.mark.parametrize("words", ["xyzzy", "qqq zzz", "the of and", "???"])
def test_search_finding_nothing(engine: Engine, words: str) -> None:
    reply = ask(engine, f"!search {words}")
    assert reply.status is Status.NOT_FOUND
    assert reply.title == "Nothing found"
    assert f"`{words}`" in reply.body
    assert suggested(engine, reply) == ["!list"]


def test_list_everything(engine: Engine, shipped_index: KnowledgeIndex) -> None:
    reply = ask(engine, "!list")
    knowledge = shipped_index.knowledge
    assert reply.title == "What I know"
    assert reply.body.startswith(
        f"{len(knowledge.entries)} entries and {len(knowledge.statements)} statements"
    )
    fields = {field.name: field.value for field in reply.fields}
    assert list(fields) == [
        "Products (!product)",
        "Companies (!company)",
        "People (!who)",
        "Topics (!topic)",
        "Figures (!figure)",
    ]
    for kind, name in zip(Kind, fields, strict=True):
        assert fields[name] == ", ".join(e.name for e in knowledge.of_kind(kind))


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
    lines = reply.body.splitlines()
    assert len(lines) == len(entries)
    for line, entry in zip(lines, entries, strict=True):
        assert line.startswith(f"**{entry.name}**")
        assert line.endswith(f"`!{command} {entry.name}`")
        if entry.value:
            assert f"({entry.value})" in line


@pytest.mark.parametrize("word", ["quotes", "quote", "statements", "Statement"])
def test_list_quotes(engine: Engine, shipped_index: KnowledgeIndex, word: str) -> None:
    reply = ask(engine, f"!list {word}")
    statements = shipped_index.knowledge.statements
    assert reply.status is Status.ANSWERED
    assert reply.title == "Every statement in the article"
    assert reply.body.count("(¶") == len(statements)  # asked for all of them: all of them
    assert "more; narrow the subject" not in reply.body
    assert [c.line for c in reply.citations] == [s.excerpt.line for s in statements]


def test_list_an_unknown_kind(engine: Engine) -> None:
    reply = ask(engine, "!list gadgets")
    assert reply.status is Status.USAGE
    assert reply.title == "Unknown list"
    assert "products, companies, people, topics, figures or quotes" in reply.body
    assert "`gadgets`" in reply.body


def test_source_without_a_name(engine: Engine, shipped_index: KnowledgeIndex) -> None:
    reply = ask(engine, "!source")
    article = shipped_index.knowledge.articles[0]
    assert reply.status is Status.ANSWERED
    assert reply.title == "Sources"
    assert "¶N, the line of the article file" in reply.body
    assert [(f.name, f.value) for f in reply.fields] == [
        (
            article.title,
            f"Text: `{article.source}` ({len(article.text.paragraphs)} content lines, "
            f"{len(article.text.sentences)} sentences)",
        )
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
    assert reply.title == f"Where the article says it: {entry.name}"
    count = len(entry.sources)
    assert (
        reply.body == f"{entry.name} rests on {count} excerpt{'s' * (count != 1)} of the article:"
    )
    assert [(c.line, c.excerpt) for c in reply.citations] == [
        (s.line, s.text) for s in entry.sources
    ]


def test_source_unsure_and_unknown(engine: Engine) -> None:
    unsure = ask(engine, "!source china")
    assert unsure.status is Status.AMBIGUOUS
    assert all(s.command == "source" for s in unsure.suggestions)
    unknown = ask(engine, "!source xyzzy")
    assert unknown.status is Status.NOT_FOUND
    assert "`xyzzy`" in unknown.body


def test_source_unknown_points_at_a_clean_list_command(engine: Engine) -> None:
    assert "`!list`" in ask(engine, "!source xyzzy").body


def test_help_lists_every_command(engine: Engine) -> None:
    reply = ask(engine, "!help")
    assert reply.status is Status.ANSWERED
    assert reply.title == "What I can do"
    for command in COMMANDS:
        assert f"`{command.usage('!')}`: {command.summary}" in reply.body
    assert "`!help COMMAND`" in reply.body


@pytest.mark.parametrize(
    ("argument", "title", "usage"),
    [
        ("quote", "!quote", "`!quote ABOUT`"),
        ("!quote", "!quote", "`!quote ABOUT`"),
        ("QUOTE", "!quote", "`!quote ABOUT`"),
        ("figure", "!figure", "`!figure [NAME]`"),
        ("summary", "!brief", "`!brief`"),
    ],
)
def test_help_on_one_command(engine: Engine, argument: str, title: str, usage: str) -> None:
    reply = ask(engine, f"!help {argument}")
    assert reply.status is Status.ANSWERED
    assert reply.title == title
    assert f"Usage: {usage}" in reply.body
    assert "Example: `!" in reply.body


def test_help_names_aliases(engine: Engine) -> None:
    assert "Also: !summary" in ask(engine, "!help brief").body


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
    assert reply.title == "What the article attributes about NVIDIA's market-cap journey"
    statements = shipped_index.knowledge.statements_about(shipped_index.entry("market-cap-journey"))
    assert any(s.direct for s in statements) and not all(s.direct for s in statements)
    blocks = reply.body.split("\n\n")
    assert len(blocks) == len(statements)
    for block, statement in zip(blocks, statements, strict=True):
        assert block.endswith(f"(¶{statement.excerpt.line})")
        if statement.direct:
            assert block == (
                f"Jensen Huang, in the article's quotation marks: “{statement.text}” "
                f"(¶{statement.excerpt.line})"
            )
        else:
            assert block.startswith(f"Jensen Huang, as the article reports it: {statement.text}")
            assert "“" not in block
    assert [c.line for c in reply.citations] == [s.excerpt.line for s in statements]
    assert_cited_from_the_article(shipped_index, reply)


def test_every_statement_is_formatted_as_its_kind(shipped_index: KnowledgeIndex) -> None:
    for statement in shipped_index.knowledge.statements:
        text = format_statement(shipped_index, statement)
        assert text.endswith(f"(¶{statement.excerpt.line})")
        if statement.direct:
            assert f"quotation marks: “{statement.text}”" in text
        else:
            assert f"as the article reports it: {statement.text} (" in text


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
    assert reply.title == f"What the article attributes about {entry.name}"
    assert reply.body.count("Jensen Huang, as the article reports it: ") == count == len(statements)
    for statement in statements:
        assert f"{statement.text} (¶{statement.excerpt.line})" in reply.body
    assert [c.line for c in reply.citations] == [s.excerpt.line for s in statements]
    assert_cited_from_the_article(shipped_index, reply)


def test_quote_by_a_speaker_caps_the_list(engine: Engine, shipped_index: KnowledgeIndex) -> None:
    reply = ask(engine, "!quote jensen")
    total = len(shipped_index.knowledge.statements)
    assert reply.title == "What the article attributes about Jensen Huang"
    assert reply.body.endswith(f"…and {total - 8} more; narrow the subject to see them.")
    assert len(reply.citations) == 8


def test_quote_by_words(engine: Engine) -> None:
    reply = ask(engine, "!quote extremely naive")
    assert reply.status is Status.ANSWERED
    assert reply.title == "Statements matching `extremely naive`"
    assert reply.body.startswith(
        "Jensen Huang, as the article reports it: underestimating Huawei and China’s "
        "manufacturing capabilities is extremely naive (¶13)"
    )
    assert reply.citations[0].line == 13


def test_quote_about_an_entry_without_statements(engine: Engine) -> None:
    reply = ask(engine, "!quote hopper")
    assert reply.status is Status.NOT_FOUND
    assert reply.title == "No statement"
    assert "`!product Hopper`" in reply.body
    assert suggested(engine, reply) == ["!product Hopper"]


def test_quote_about_nothing_known(engine: Engine) -> None:
    reply = ask(engine, "!quote xyzzy")
    assert reply.status is Status.NOT_FOUND
    assert reply.citations == ()
    assert "`xyzzy`" in reply.body


@pytest.mark.parametrize(
    ("subject", "suggestion"),
    [("hauwe", "!quote Huawei"), ("amazon web services", "!quote Amazon")],
)
def test_quote_unsure_suggests_quotes(engine: Engine, subject: str, suggestion: str) -> None:
    reply = ask(engine, f"!quote {subject}")
    assert reply.status is Status.AMBIGUOUS
    assert suggested(engine, reply) == [suggestion]
    assert f"`{suggestion}`" in reply.body


def test_quote_h200_is_not_the_h20(engine: Engine) -> None:
    reply = ask(engine, "!quote H200")
    assert reply.status is not Status.ANSWERED
    assert "H20 " not in reply.body


# Cross-kind, out of scope, ambiguous


@pytest.mark.parametrize(
    ("line", "entry", "pointer"),
    [
        ("!product huawei", "Huawei · company or organisation", "`!company Huawei`"),
        ("!company h20", "H20 · product", "`!product H20`"),
        ("!who huawei", "Huawei · company or organisation", "`!company Huawei`"),
        ("!topic RTX Pro", "RTX Pro · product", "`!product RTX Pro`"),
        ("!figure jensen huang", "Jensen Huang · person", "`!who Jensen Huang`"),
        ("!product export controls", "Export controls · topic", "`!topic Export controls`"),
    ],
)
def test_wrong_kind_answers_and_points_to_the_right_command(
    engine: Engine, line: str, entry: str, pointer: str
) -> None:
    reply = ask(engine, line)
    assert reply.status is Status.ANSWERED
    assert reply.title == entry
    assert f"{pointer} finds it directly" in reply.body


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
    titles = entry_titles(shipped_index)
    for command in (*LOOKUPS, "quote", "source"):
        reply = ask(engine, f"!{command} {name}")
        assert reply.status is Status.NOT_FOUND, f"!{command} {name}: {reply.status}"
        assert reply.title in ("Not in the article", "No statement")
        assert reply.title not in titles
        assert reply.citations == ()
        assert f"`{name}`" in reply.body


@pytest.mark.parametrize("command", ["product", "company", "who", "topic"])
def test_not_found_points_to_list_and_search(engine: Engine, command: str) -> None:
    reply = ask(engine, f"!{command} Microsoft")
    plural = {"product": "products", "company": "companies", "who": "people", "topic": "topics"}
    assert f"`!list {plural[command]}`" in reply.body
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
    for suggestion in suggested(engine, reply):
        assert f"`{suggestion}`" in reply.body
    assert reply.citations == ()


def test_ambiguous_china_offers_china_topics(engine: Engine) -> None:
    reply = ask(engine, "!topic china")
    assert len(reply.suggestions) == 3
    assert all(s.command == "topic" and "China" in s.argument for s in reply.suggestions)
    assert "`china`" in reply.body


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
def test_unknown_command_suggests_the_closest(engine: Engine, name: str, closest: str) -> None:
    reply = ask(engine, f"!{name} huawei")
    assert reply.status is Status.UNKNOWN_COMMAND
    assert reply.title == "Unknown command"
    assert reply.suggestions == (Suggestion(closest),)
    assert f"Did you mean `!{closest}`?" in reply.body


@pytest.mark.parametrize("name", ["hello", "ping", "tldr", "info", "xyzzy", "what"])
def test_unknown_command_far_from_any(engine: Engine, name: str) -> None:
    reply = ask(engine, f"!{name} huawei")
    assert reply.status is Status.UNKNOWN_COMMAND
    assert reply.suggestions == ()
    assert f"There is no `!{name}` command." in reply.body
    assert "`!help` lists what I can do." in reply.body


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
        assert reply.body == f"Use `{usage}`, for example `{example}`."


@pytest.mark.parametrize("command", ["product", "quote", "search"])
def test_an_argument_of_control_characters_is_missing(engine: Engine, command: str) -> None:
    assert ask(engine, f"!{command} \u200b\x00\u202e").status is Status.USAGE


@pytest.mark.parametrize("command", ["brief", "figure", "list", "source", "help"])
def test_optional_arguments_may_be_left_out(engine: Engine, command: str) -> None:
    assert ask(engine, f"!{command}").status is Status.ANSWERED


# What every reply must never contain

FURNITURE = re.compile(
    r"[A-Z]{2,5}--|NVIDIANVDA|AMDAMD|QualcommQCOM|AmazonAMZN|Expert analysis|Latest Articles|"
    r"Stay ahead of the market|curated U\.S\. market news|No comments yet"
)


@pytest.mark.parametrize("command", [command.name for command in COMMANDS])
def test_no_reply_holds_ticker_debris_or_page_furniture(
    engine: Engine, shipped_index: KnowledgeIndex, command: str
) -> None:
    names = [name for entry in shipped_index.knowledge.entries.values() for name in entry.names]
    kind_words = ["products", "companies", "people", "topics", "figures", "quotes"]
    for argument in ["", *names, *kind_words, "nvidia amd qualcomm amazon", "NVDA", "comments"]:
        reply = engine.run(command, argument)
        text = render_text(reply)
        found = FURNITURE.search(text)
        assert found is None, f"!{command} {argument}: {found.group()!r}"
        assert_cited_from_the_article(shipped_index, reply)


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


def _check_echo(text: str) -> None:
    for char in text:
        assert char == "\n" or unicodedata.category(char)[0] != "C", repr(char)
    for line in text.splitlines():
        assert line.count("`") % 2 == 0, f"unbalanced code span: {line!r}"
        outside = re.sub(r"`[^`]*`", "", line)
        assert "@everyone" not in outside and "@here" not in outside, line


def _echo_params() -> list[Any]:
    return [
        pytest.param(command, hostile, id=f"{command}-{number}")
        for command in ECHOING
        for number, hostile in enumerate(HOSTILE)
    ]


@pytest.mark.parametrize(("command", "hostile"), _echo_params())
def test_echoed_text_is_safe(engine: Engine, command: str, hostile: str) -> None:
    reply = ask(engine, f"!{command} {hostile}")
    _check_echo(reply.title)
    _check_echo(reply.body)
    _check_echo(render_text(reply))


@pytest.mark.parametrize("hostile", ["@everyone", "`rm`@everyone", "\x07@here", "x" * 5_000])
def test_unknown_command_echo_is_safe(engine: Engine, hostile: str) -> None:
    reply = ask(engine, f"!{hostile}")
    assert reply.status is Status.UNKNOWN_COMMAND
    _check_echo(render_text(reply))
    echoed = re.findall(r"`[^`]*`", reply.body)[0]
    assert len(echoed) <= 62  # the echo is cut to 60 characters inside its code span


def test_echo_is_short(engine: Engine) -> None:
    reply = ask(engine, "!company " + "z" * 300)
    assert reply.status is Status.NOT_FOUND
    echoed = re.findall(r"`[^`]*`", reply.body)[0]
    assert echoed.endswith("…`")
    assert len(echoed) == 62


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

"""Several articles loaded: what a user sees. Tests the engine over the shipped article plus
the two synthetic ones of tests/articles/, which share NVIDIA, Huawei, the H20 and SMIC."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.console.render_json import render_json
from bot.console.render_text import render_text
from bot.discordbot.embeds import render_pages
from bot.engine.commands import Engine
from bot.engine.index import KnowledgeIndex
from bot.engine.reply import Reply, Status, plain
from bot.knowledge.loader import load_knowledge
from tests.helpers import FixedSource, copy_several_articles, edit_file

SHIPPED = (
    "Jensen Huang Shares His Vision For NVIDIA, Also Deepening His Commitment to China’s AI Future"
)
ASCEND = "Huawei Ascend Chips Gain Ground as NVIDIA Waits on H20 Licences"  # dated 2025-08-02
RULES = "Chip Export Rules May Tighten Again"  # undated, before the shipped file by name
SOURCE = {
    SHIPPED: "seeds/jensen-huang-nvidia-china-ai-future.txt",
    ASCEND: "seeds/huawei-ascend-h20.txt",
    RULES: "seeds/export-rules-update.txt",
}


def ask(engine: Engine, line: str) -> tuple[Reply, str]:
    reply = engine.handle(line)
    assert reply is not None, line
    return reply, render_text(reply)


def section(reply: Reply, title: str) -> list[str]:
    [found] = [s for s in reply.sections if s.title == title]
    return [plain(p.text) for p in found.points]


def assert_from_one_article(reply: Reply, title: str) -> None:
    """Every ¶ mark and excerpt the reply shows is the named article's own."""
    assert reply.article_title == title
    assert {c.source for c in reply.citations} == {SOURCE[title]}
    assert set(reply.paragraphs) <= {c.line for c in reply.citations}


def test_an_entry_shows_the_newest_articles_facts_and_names_the_others(several: Engine) -> None:
    reply, text = ask(several, "!company Huawei")
    assert reply.title == "Huawei"
    assert text.splitlines()[1] == f"From “{ASCEND}”"
    assert plain(reply.lead[0].text).startswith("Huawei is shipping more of its Ascend 910C")
    assert reply.lead[0].paragraphs == (2,)
    assert_from_one_article(reply, ASCEND)
    assert section(reply, "Also in 2 other articles") == [
        f"{RULES}: !company Huawei in:export-rules-update",
        f"{SHIPPED}: !company Huawei in:nvidia-huang-china-ai",
    ]
    assert text.endswith("¶N = paragraph N of seeds/huawei-ascend-h20.txt")


def test_in_shows_what_that_article_says(several: Engine, shipped_index: KnowledgeIndex) -> None:
    reply, text = ask(several, "!company Huawei in:nvidia-huang-china-ai")
    only_shipped = Engine(FixedSource(shipped_index)).handle("!company Huawei")
    assert only_shipped is not None
    assert reply.lead == only_shipped.lead  # the shipped article's summary and ¶ marks
    assert_from_one_article(reply, SHIPPED)
    assert f"From “{SHIPPED}”" in text
    assert section(reply, "Also in 2 other articles") == [
        f"{ASCEND}: !company Huawei in:huawei-ascend-h20",
        f"{RULES}: !company Huawei in:export-rules-update",
    ]
    assert (
        "Next: !quote Huawei in:nvidia-huang-china-ai, !source Huawei in:nvidia-huang-china-ai"
        in text
    )


def test_the_filter_may_be_a_slash_option_or_an_id_prefix(several: Engine) -> None:
    typed = several.handle("!search export controls in:export-rules-update")
    prefix = several.handle("!search export controls in:export-rules")
    slash = several.run("search", "export controls", article="export-rules-update")
    assert typed is not None and prefix is not None
    assert typed.sections == prefix.sections == slash.sections
    assert_from_one_article(slash, RULES)
    assert (
        typed.asked is not None and typed.asked.argument == "export controls in:export-rules-update"
    )


def test_no_answer_ever_mixes_articles_or_their_paragraph_numbers(
    several: Engine, several_index: KnowledgeIndex
) -> None:
    knowledge = several_index.knowledge
    for entry in knowledge.entries.values():
        for article_id in entry.article_ids:
            article = knowledge.article(article_id)
            for command in (entry.kind.info.command, "source"):
                reply = several.run(command, f"{entry.name} in:{article_id}")
                assert reply.ok, (command, entry.id, article_id)
                assert_from_one_article(reply, article.title)
                shown = entry.in_article(article_id)
                assert shown is not None
                assert {c.excerpt for c in reply.citations} == {e.text for e in shown.sources}


@pytest.mark.parametrize(
    "line",
    [
        "!company Huawei",
        "!product H20",
        "!company SMIC",
        "!who Eric Xu",
        "!topic export controls",
        "!figure",
        "!figure AI researchers",
        "!quote huawei",
        "!quote jensen huang",
        "!search export controls",
        "!search yields",
        "!source H20",
        "!list quotes",
        "!brief",
        "!brief chip export rules",
    ],
)
def test_every_answer_names_its_article(several: Engine, line: str) -> None:
    """One article: named under the title (and in the embed's footer). Several: each ¶ mark
    stands in a section headed by its article."""
    reply, text = ask(several, line)
    assert reply.ok, text
    titles = set(SOURCE)
    if reply.article_title:
        assert reply.title == reply.article_title or f"From “{reply.article_title}”" in text
        footer = render_pages(reply)[0].embed.footer.text or ""
        assert reply.title == reply.article_title or footer.startswith(reply.article_title[:40])
        return
    assert len({c.source for c in reply.citations}) > 1
    for part in reply.sections:
        if any(p.paragraphs for p in part.points):
            assert any(title in part.title for title in titles), part.title
    assert "¶N = paragraph N of the article it is listed under" in text


def test_search_groups_sentences_under_their_article(several: Engine) -> None:
    reply, _ = ask(several, "!search export controls")
    assert [s.title for s in reply.sections] == ["Entries", f"In “{RULES}”", f"In “{SHIPPED}”"]
    assert section(reply, f"In “{RULES}”")[0].startswith("U.S. officials are weighing")


def test_quote_shows_one_articles_statements_and_where_else_it_is_quoted(several: Engine) -> None:
    reply, _ = ask(several, "!quote huawei")
    assert reply.title == "Eric Xu on Huawei"
    assert_from_one_article(reply, ASCEND)
    assert section(reply, "Also quoted in 1 other article") == [
        f"{SHIPPED}: !quote Huawei in:nvidia-huang-china-ai"
    ]
    shipped, _ = ask(several, "!quote huawei in:nvidia-huang-china-ai")
    assert shipped.title == "Jensen Huang on Huawei"
    assert_from_one_article(shipped, SHIPPED)


def test_list_articles_shows_every_article_newest_first(several: Engine) -> None:
    reply, _ = ask(several, "!list articles")
    assert reply.title == "Articles"
    assert [plain(p.text) for p in reply.sections[0].points] == [
        f"{ASCEND} (Example Wire, 2025-08-02): !brief huawei-ascend-h20, or in:huawei-ascend-h20 "
        "after a command",
        f"{RULES}: !brief export-rules-update, or in:export-rules-update after a command",
        f"{SHIPPED}: !brief nvidia-huang-china-ai, or in:nvidia-huang-china-ai after a command",
    ]
    overview, _ = ask(several, "!list")
    assert plain(overview.lead[0].text) == "3 articles, 54 entries and 29 statements."


def test_list_in_an_article_lists_only_what_it_covers(several: Engine) -> None:
    reply, text = ask(several, "!list companies in:export-rules-update")
    assert [plain(p.text) for p in reply.sections[0].points] == ["SMIC", "Huawei"]
    assert f"From “{RULES}”" in text


def test_brief_without_an_article_briefs_the_newest(several: Engine) -> None:
    reply, text = ask(several, "!brief")
    assert reply.title == ASCEND
    assert plain(reply.lead[0].text) == "Example Wire, 2025-08-02."
    assert "The newest of 3 articles; !list articles shows the other 2 articles." in text


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("chip export rules", RULES),
        ("Chip Export Rules May Tighten Again", RULES),
        ("ascend chips", ASCEND),
        ("jensen huang vision", SHIPPED),
        ("nvidia-huang-china-ai", SHIPPED),
    ],
)
def test_brief_finds_an_article_by_its_title_or_id(several: Engine, typed: str, title: str) -> None:
    reply, _ = ask(several, f"!brief {typed}")
    assert reply.title == title


def test_brief_asks_which_when_the_title_is_unclear(several: Engine) -> None:
    reply, text = ask(several, "!brief the")
    assert reply.status is Status.AMBIGUOUS and reply.title == "Which article?"
    assert "!list articles shows every one." in text


def test_brief_asks_which_when_no_article_is_dated(tmp_path: Path) -> None:
    knowledge = copy_several_articles(tmp_path)
    edit_file(knowledge / "huawei-ascend-h20.yaml", '  date: "2025-08-02"\n', "")
    engine = Engine(FixedSource(KnowledgeIndex.build(load_knowledge(knowledge))))
    reply, text = ask(engine, "!brief")
    assert reply.status is Status.AMBIGUOUS
    assert text.splitlines()[2] == (
        "I know 3 articles. Did you mean !brief export-rules-update, !brief huawei-ascend-h20 or "
        "!brief nvidia-huang-china-ai? !list articles shows every one."
    )


def test_an_unknown_article_filter_says_how_to_find_one(several: Engine) -> None:
    reply, text = ask(several, "!search chips in:nowhere")
    assert reply.status is Status.NOT_FOUND and reply.title == "Which article?"
    assert "No article is clearly “in:nowhere”." in text


def test_a_name_another_article_covers_says_which(several: Engine) -> None:
    reply, text = ask(several, "!company SMIC in:nvidia-huang-china-ai")
    assert reply.status is Status.NOT_FOUND
    assert f"“{SHIPPED}” does not cover SMIC; 2 other articles do: !company SMIC in:" in text


def test_the_embed_links_to_the_article_it_is_about(several: Engine, engine: Engine) -> None:
    [page, *_] = render_pages(several.run("company", "Huawei"))
    assert page.embed.url == "https://example.com/2025/08/02/huawei-ascend-h20"
    [shipped, *_] = render_pages(several.run("company", "Huawei in:nvidia-huang-china-ai"))
    assert shipped.embed.url is None  # its file gives no address
    [alone, *_] = render_pages(engine.run("company", "Huawei"))
    assert alone.embed.url is None


def test_one_article_alone_answers_as_before(engine: Engine) -> None:
    _, text = ask(engine, "!company Huawei")
    assert "From “" not in text and "other article" not in text
    assert "Next: !quote Huawei, !source Huawei" in text
    brief, _ = ask(engine, "!brief")
    assert brief.suggestions[0].typed("!") == "!list"


def test_help_explains_the_filter_when_several_are_loaded(several: Engine, engine: Engine) -> None:
    _, text = ask(several, "!help search")
    assert "One article only: add in:ARTICLE (!list articles shows them)." in text
    _, alone = ask(engine, "!help search")
    assert "in:ARTICLE" not in alone


def test_ask_json_names_the_article_and_its_address(several: Engine) -> None:
    data = render_json(several.run("company", "Huawei"), "!company Huawei")
    assert data["article"] == ASCEND
    assert data["url"] == "https://example.com/2025/08/02/huawei-ascend-h20"
    assert {c["article"] for c in data["citations"]} == {ASCEND}

"""render_text: a Reply as the console and `briefbot ask` print it."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.render_text import MAX_CITATIONS_SHOWN, render_text
from bot.reply import Citation, Field, Reply, Status, Suggestion

SOURCE = "seeds/article.txt"


def citations(count: int) -> tuple[Citation, ...]:
    return tuple(Citation(SOURCE, line, f"excerpt {line}") for line in range(1, count + 1))


def test_title_only() -> None:
    assert render_text(Reply(Status.ANSWERED, "Sources")) == "Sources"


def test_title_then_body_after_a_blank_line() -> None:
    text = render_text(Reply(Status.ANSWERED, "RTX Pro · product", "A GPU.\nSecond line."))
    assert text.splitlines() == ["RTX Pro · product", "", "A GPU.", "Second line."]


def test_fields_are_titled_and_indented_line_by_line() -> None:
    reply = Reply(
        Status.ANSWERED,
        "Huawei",
        "Body.",
        fields=(Field("Also called", "华为, Huawei Technologies"), Field("Related", "a\nb")),
    )
    assert render_text(reply).splitlines() == [
        "Huawei",
        "",
        "Body.",
        "",
        "Also called:",
        "  华为, Huawei Technologies",
        "",
        "Related:",
        "  a",
        "  b",
    ]


def test_citations_show_source_line_and_excerpt() -> None:
    reply = Reply(
        Status.ANSWERED,
        "H20",
        "Body.",
        citations=(
            Citation(SOURCE, 4, "more advanced than the H20"),
            Citation(SOURCE, 17, "competitors like AMD"),
        ),
    )
    lines = render_text(reply).splitlines()
    assert lines[-3:] == [
        f"From the article ({SOURCE}, ¶ = line):",
        "  ¶4: “more advanced than the H20”",
        "  ¶17: “competitors like AMD”",
    ]


@pytest.mark.parametrize(
    ("count", "shown", "more"),
    [
        (1, 1, None),
        (MAX_CITATIONS_SHOWN, MAX_CITATIONS_SHOWN, None),
        (MAX_CITATIONS_SHOWN + 1, MAX_CITATIONS_SHOWN, "  …and 1 more excerpt(s)"),
        (20, MAX_CITATIONS_SHOWN, f"  …and {20 - MAX_CITATIONS_SHOWN} more excerpt(s)"),
    ],
)
def test_many_citations_are_cut_and_counted(count: int, shown: int, more: str | None) -> None:
    lines = render_text(Reply(Status.ANSWERED, "T", citations=citations(count))).splitlines()
    assert sum(line.startswith("  ¶") for line in lines) == shown
    assert f"  ¶{shown}: “excerpt {shown}”" in lines
    assert f"  ¶{shown + 1}: “excerpt {shown + 1}”" not in lines
    if more:
        assert lines[-1] == more
    else:
        assert not any("more excerpt" in line for line in lines)


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("!", "Try: !quote Huawei, !company NVIDIA, !list"),
        ("?", "Try: ?quote Huawei, ?company NVIDIA, ?list"),
        ("bb.", "Try: bb.quote Huawei, bb.company NVIDIA, bb.list"),
    ],
)
def test_suggestions_of_an_answer_are_offered_with_the_prefix(prefix: str, expected: str) -> None:
    reply = Reply(
        Status.ANSWERED,
        "Huawei",
        "Body.",
        suggestions=(
            Suggestion("quote", "Huawei"),
            Suggestion("company", "NVIDIA"),
            Suggestion("list"),
        ),
    )
    assert render_text(reply, prefix).splitlines()[-1] == expected


def test_suggestions_follow_the_citations() -> None:
    reply = Reply(
        Status.ANSWERED,
        "T",
        citations=citations(1),
        suggestions=(Suggestion("source"),),
    )
    lines = render_text(reply).splitlines()
    assert lines.index("Try: !source") > lines.index("  ¶1: “excerpt 1”")


def test_a_refusal_is_not_followed_by_a_try_line() -> None:
    """A refusal's body already says what to try; a second 'Try:' line would repeat it."""
    reply = Reply(
        Status.NOT_FOUND,
        "Not in the article",
        "The article mentions no product called `iPhone`.",
        suggestions=(Suggestion("search", "iPhone"), Suggestion("list", "products")),
    )
    assert (
        render_text(reply)
        == "Not in the article\n\nThe article mentions no product called `iPhone`."
    )


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("!topic china", ["`!topic NVIDIA's China strategy`", "`!topic Huang's visits to China`"]),
        ("!product H200", ["`!product H20`"]),
        ("!prodcut rtx", ["`!product`"]),
    ],
)
def test_suggestions_of_a_refusal_are_shown_in_its_text(
    engine: Engine, line: str, shown: list[str]
) -> None:
    reply = engine.handle(line)
    assert reply is not None and not reply.ok
    text = render_text(reply)
    for suggestion in shown:
        assert suggestion in text


def test_a_real_answer_renders_title_body_fields_citations_and_suggestions(engine: Engine) -> None:
    reply = engine.handle("!product RTX Pro")
    assert reply is not None
    text = render_text(reply)
    lines = text.splitlines()
    assert lines[0] == "RTX Pro · product"
    assert lines[2].startswith("The RTX Pro is a newly released GPU")
    assert "Also called:" in lines and "  RTX Pro GPU" in lines
    source = reply.citations[0].source
    assert source.endswith("seeds/jensen-huang-nvidia-china-ai-future.txt")
    assert f"From the article ({source}, ¶ = line):" in lines
    assert (
        "  ¶3: “New RTX Pro GPU Targets Digital Twins, Autonomous Driving, and Robotics”" in lines
    )
    assert lines[-1] == "Try: !quote RTX Pro, !product Blackwell, !product H20"

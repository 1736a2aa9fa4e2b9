"""The `briefbot` command line, through real subprocesses: `python -m bot` and the console script.

Every subprocess gets a timeout and an environment without DISCORD_TOKEN or any BRIEFBOT_*
variable, so no test can start the Discord bot or pick up a developer's settings.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.console.cli import wrapped
from bot.engine.index import KnowledgeIndex
from tests.helpers import REPO, clean_env

SCRIPT = Path(sys.executable).with_name("briefbot")
TIMEOUT = 60
ENTRY_POINTS = {
    "module": [sys.executable, "-m", "bot"],
    "script": [str(SCRIPT)],
}


def briefbot(
    *args: str,
    cwd: Path = REPO,
    env: dict[str, str] | None = None,
    stdin: str = "",
    via: str = "module",
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ENTRY_POINTS[via], *args],
        cwd=cwd,
        env=clean_env() if env is None else env,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
    )


def line_of(path: Path, text: str) -> int:
    """The 1-based line of a file holding some text."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} is not in {path}")


def edit(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert content.count(old) >= 1, old
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


MARKER = "Zebra-marker summary written only in the copy."


@pytest.fixture
def marked_copy(knowledge_file: Path, knowledge_copy: Path) -> Path:
    """A valid copy of the knowledge whose RTX Pro summary says MARKER."""
    edit(
        knowledge_file, '"The RTX Pro is a newly released GPU,', f'"{MARKER} The RTX Pro is a GPU,'
    )
    return knowledge_copy


# Semantic errors, each on its own line: all of them must be reported in one pass.
BREAKAGES = [
    ("related: [hopper, h20-sales-resumption", "related: [hoppr, h20-sales-resumption", "hoppr"),
    (
        'text: "future visits would depend on invitations"',
        'text: "future visits would depend on a dinner invitation"',
        "dinner invitation",
    ),
    ('aliases: ["Kimi AI"]', 'aliases: ["Kimi AI", "Qwen"]', '"Kimi AI", "Qwen"'),
    (
        '"the newly released RTX Pro GPU, based on the Blackwell architecture"',
        '"the newly released RTX Pro GPU, based on the Blackwell design"',
        "Blackwell design",
    ),
]


@pytest.fixture
def broken_copy(knowledge_file: Path, knowledge_copy: Path) -> tuple[Path, list[int]]:
    """A copy with four independent errors; returns the directory and the broken lines."""
    for old, new, _ in BREAKAGES:
        edit(knowledge_file, old, new)
    return knowledge_copy, [line_of(knowledge_file, found) for _, _, found in BREAKAGES]


# ask


@pytest.mark.parametrize("via", ["module", "script"])
def test_ask_prints_the_reply(via: str) -> None:
    result = briefbot("ask", "!product RTX Pro", via=via)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Product: RTX Pro\n")
    assert "from the H20.\u00a0¶3\u00a0¶5" in result.stdout  # cited inline
    assert "**" not in result.stdout  # plain text, no Discord markup
    assert result.stderr == ""


def test_ask_prints_each_line_before_its_reply() -> None:
    result = briefbot("ask", "!product RTX Pro", "quote huawei")
    assert result.returncode == 0, result.stderr
    assert "!product RTX Pro\nProduct: RTX Pro\n" in result.stdout
    assert "\n\n!quote huawei\nJensen Huang on Huawei\n" in result.stdout
    assert result.stdout.index("Product: RTX Pro") < result.stdout.index("Jensen Huang on Huawei")


def test_ask_json_prints_one_array() -> None:
    lines = ["!product RTX Pro", "!quote huawei", "!prodcut x", "!company Intel", "!who"]
    result = briefbot("ask", "--json", *lines)
    replies = json.loads(result.stdout)
    assert isinstance(replies, list)
    assert [reply["command"] for reply in replies] == lines
    assert [reply["ok"] for reply in replies] == [True, True, False, False, False]
    assert [reply["status"] for reply in replies] == [
        "answered",
        "answered",
        "unknown_command",
        "not_found",
        "usage",
    ]
    assert replies[0]["title"] == "RTX Pro"
    assert replies[0]["text"].startswith("Product: RTX Pro\n")
    assert (replies[0]["label"], replies[0]["entry"]) == ("Product", "rtx-pro")
    assert [s["typed"] for s in replies[0]["suggestions"]] == ["!quote RTX Pro", "!source RTX Pro"]
    assert "Blackwell" in [r["argument"] for r in replies[0]["related"]]
    assert replies[0]["paragraphs"] == [3, 5]
    assert {c["paragraph"] for c in replies[0]["citations"]} == {3, 5}
    assert replies[1]["title"] == "Jensen Huang on Huawei"
    [reported] = replies[1]["sections"]
    assert [p["paragraphs"] for p in reported["points"]] == [[13], [13], [13]]
    assert not any(p["quoted"] for p in reported["points"])
    assert "\u00a0¶13" in replies[1]["text"]
    assert replies[2]["suggestions"][0]["typed"] == "!product x"  # the whole corrected line
    assert all(isinstance(reply["text"], str) and reply["text"] for reply in replies)
    assert result.returncode == 1


def test_ask_json_keeps_chinese_readable() -> None:
    result = briefbot("ask", "--json", "!company 华为")
    assert result.returncode == 0, result.stderr
    assert "华为" in result.stdout  # not \\u escapes
    assert json.loads(result.stdout)[0]["title"] == "Huawei"


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        (["!product RTX Pro"], 0),
        (["!product RTX Pro", "!brief", "help", "!list quotes"], 0),
        (["!prodcut rtx"], 1),  # unknown command
        (["!company Intel"], 1),  # not found
        (["!topic china"], 1),  # ambiguous
        (["!product"], 1),  # usage
        (["!list gadgets"], 1),
        (["   "], 1),  # nothing to answer
        (["!product RTX Pro", "!who Elon Musk"], 1),
    ],
)
def test_ask_exit_status(lines: list[str], code: int) -> None:
    result = briefbot("ask", *lines)
    assert result.returncode == code, result.stdout + result.stderr
    assert result.stdout.strip()


def test_ask_without_lines_is_a_usage_error() -> None:
    result = briefbot("ask")
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert result.stdout == ""


def test_ask_with_broken_knowledge_names_file_and_line(
    broken_copy: tuple[Path, list[int]], tmp_path: Path
) -> None:
    directory, lines = broken_copy
    result = briefbot("ask", "--knowledge", str(directory), "!help", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "is broken" in result.stderr
    for line in lines:
        assert re.search(rf"nvidia-huang-china-ai\.yaml:{line}\b", result.stderr), line


def test_ask_with_a_missing_directory(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-knowledge"
    result = briefbot("ask", "--knowledge", str(missing), "!help")
    assert result.returncode == 2
    assert str(missing) in result.stderr
    assert "is not a directory" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("via", ["module", "script"])
def test_the_shipped_knowledge_is_found_from_any_directory(tmp_path: Path, via: str) -> None:
    result = briefbot("ask", "!product RTX Pro", cwd=tmp_path, via=via)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Product: RTX Pro\n")
    assert "jensen-huang-nvidia-china-ai-future.txt" in result.stdout


def test_briefbot_knowledge_variable_is_used(marked_copy: Path, tmp_path: Path) -> None:
    result = briefbot(
        "ask", "!product RTX Pro", cwd=tmp_path, env=clean_env(BRIEFBOT_KNOWLEDGE=str(marked_copy))
    )
    assert result.returncode == 0, result.stderr
    assert MARKER in result.stdout


def test_briefbot_knowledge_variable_pointing_at_nothing(tmp_path: Path) -> None:
    env = clean_env(BRIEFBOT_KNOWLEDGE=str(tmp_path / "gone"))
    result = briefbot("ask", "!help", env=env)
    assert result.returncode == 2
    assert str(tmp_path / "gone") in result.stderr


def test_knowledge_option_wins_over_the_variable(marked_copy: Path, tmp_path: Path) -> None:
    env = clean_env(BRIEFBOT_KNOWLEDGE=str(tmp_path / "gone"))
    result = briefbot("ask", "--knowledge", str(marked_copy), "!product RTX Pro", env=env)
    assert result.returncode == 0, result.stderr
    assert MARKER in result.stdout


def test_knowledge_option_before_the_subcommand(marked_copy: Path) -> None:
    result = briefbot("--knowledge", str(marked_copy), "ask", "!product RTX Pro")
    assert result.returncode == 0, result.stderr
    assert MARKER in result.stdout


def test_a_custom_prefix_is_used_in_replies() -> None:
    result = briefbot("ask", "?product RTX Pro", env=clean_env(BRIEFBOT_PREFIX="?"))
    assert result.returncode == 0, result.stderr
    assert "Next: ?quote RTX Pro, ?source RTX Pro" in result.stdout
    assert "!" not in result.stdout


@pytest.mark.parametrize("command", [["ask", "!help"], ["check"], ["console"], []])
def test_a_bad_prefix_is_a_config_error(command: list[str]) -> None:
    result = briefbot(*command, env=clean_env(BRIEFBOT_PREFIX="a b"), stdin="!help\n")
    assert result.returncode == 2
    assert result.stdout == ""
    message = result.stderr.strip()
    assert "BRIEFBOT_PREFIX" in message
    assert message.endswith(".") and "\n" not in message
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [("BRIEFBOT_COOLDOWN_RATE", "fast"), ("DISCORD_API_BASE", "discord.com")],
)
def test_other_bad_settings_are_config_errors(variable: str, value: str) -> None:
    result = briefbot("ask", "!help", env=clean_env(**{variable: value}))
    assert result.returncode == 2
    assert variable in result.stderr
    assert "Traceback" not in result.stderr


# check


def test_check_shipped_knowledge(shipped_index: KnowledgeIndex) -> None:
    knowledge = shipped_index.knowledge
    result = briefbot("check")
    assert result.returncode == 0, result.stdout
    assert "no errors" in result.stdout
    assert f"{len(knowledge.entries)} entries (" in result.stdout
    direct = sum(statement.direct for statement in knowledge.statements)
    assert (
        f"{len(knowledge.statements)} statements ({direct} direct, "
        f"{len(knowledge.statements) - direct} reported)" in result.stdout
    )
    sentences = len(knowledge.articles[0].text.sentences)
    assert f"{sentences} of {sentences} content sentences cited (100.0%)" in result.stdout
    assert "not cited" not in result.stdout


def test_check_counts_every_kind(shipped_index: KnowledgeIndex) -> None:
    result = briefbot("check")
    for kind in ("product", "organisation", "person", "topic", "figure"):
        count = len([e for e in shipped_index.knowledge.entries.values() if e.kind.value == kind])
        assert f"{count} {kind}" in result.stdout


def test_check_lists_every_error(broken_copy: tuple[Path, list[int]], tmp_path: Path) -> None:
    directory, lines = broken_copy
    result = briefbot("check", "--knowledge", str(directory), cwd=tmp_path)
    assert result.returncode != 0
    assert f"{len(BREAKAGES)} error(s)" in result.stdout
    for line, fragment in zip(lines, ["hoppr", "dinner", "Qwen", "Blackwell desi"], strict=True):
        found = [row for row in result.stdout.splitlines() if f".yaml:{line}:" in row]
        assert found, f"no error reported on line {line}"
        assert fragment in found[0]


def test_check_lists_every_schema_error(knowledge_file: Path, knowledge_copy: Path) -> None:
    edit(knowledge_file, "kind: product\n    name: Blackwell", "kind: gadget\n    name: Blackwell")
    edit(
        knowledge_file,
        "kind: organisation\n    name: Qualcomm",
        "kind: organisation\n    nme: Qualcomm",
    )
    result = briefbot("check", "--knowledge", str(knowledge_copy))
    assert result.returncode != 0
    assert "must be one of: product, organisation, person, topic, figure" in result.stdout
    assert f".yaml:{line_of(knowledge_file, 'kind: gadget')}:" in result.stdout
    assert ".name: is missing" in result.stdout
    assert ".nme: is not a known field" in result.stdout
    assert f".yaml:{line_of(knowledge_file, 'nme: Qualcomm')}:" in result.stdout
    assert "3 error(s)" in result.stdout


def test_check_a_missing_directory(tmp_path: Path) -> None:
    result = briefbot("check", "--knowledge", str(tmp_path / "nothing"))
    assert result.returncode != 0
    assert "is not a directory" in result.stdout
    assert "1 error(s)" in result.stdout


def test_check_an_empty_directory(tmp_path: Path) -> None:
    result = briefbot("check", "--knowledge", str(tmp_path))
    assert result.returncode != 0
    assert "holds no .yaml knowledge file" in result.stdout


# console


@pytest.mark.parametrize("via", ["module", "script"])
def test_console_answers_one_reply_per_line(via: str) -> None:
    stdin = "!help\n\nproduct rtx pro\n   !who jensen   \n!company Intel\n"
    result = briefbot("console", stdin=stdin, via=via)
    assert result.returncode == 0, result.stderr
    titles = ["What I can do", "Product: RTX Pro", "Person: Jensen Huang", "Not in the article"]
    positions = [result.stdout.index(f"{title}\n") for title in titles]
    assert positions == sorted(positions)
    assert result.stdout.count("Not in the article") == 1
    assert "briefbot>" not in result.stdout  # no prompt when stdin is not a terminal
    assert result.stderr == ""


def test_console_stops_at_quit() -> None:
    result = briefbot("console", stdin="!brief\nquit\n!product RTX Pro\n")
    assert result.returncode == 0
    assert "Jensen Huang Shares His Vision" in result.stdout
    assert "Product: RTX Pro" not in result.stdout


def test_console_reloads() -> None:
    result = briefbot("console", stdin="reload\n!product h20\n")
    assert result.returncode == 0
    assert "reloaded; nothing changed" in result.stdout
    assert "Product: H20" in result.stdout


def test_console_with_empty_input_exits_cleanly() -> None:
    result = briefbot("console", stdin="")
    assert result.returncode == 0
    assert result.stdout == ""


def test_no_command_and_no_token_starts_the_console() -> None:
    result = briefbot(stdin="!product RTX Pro\n", via="script")
    assert result.returncode == 0, result.stderr
    assert "Product: RTX Pro" in result.stdout
    notice = result.stderr.strip()
    assert "DISCORD_TOKEN" in notice and "console" in notice
    assert "\n" not in notice


def test_help_option() -> None:
    result = briefbot("--help")
    assert result.returncode == 0
    for command in ("run", "console", "ask", "check"):
        assert command in result.stdout


def test_run_without_a_token_ends_with_one_sentence() -> None:
    result = briefbot("run")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "briefbot: DISCORD_TOKEN is not set; set it to your bot's token, or run `briefbot console`."
    )


def test_a_malformed_token_ends_with_one_sentence_that_does_not_echo_it() -> None:
    result = briefbot("run", env=clean_env(DISCORD_TOKEN="abc def"))
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr
    assert "abc def" not in result.stderr
    assert "Traceback" not in result.stderr


def test_run_against_an_unreachable_discord_ends_with_one_sentence() -> None:
    env = clean_env(
        DISCORD_TOKEN="not-a-real-token",
        DISCORD_API_BASE="http://127.0.0.1:9/api/v10",
        DISCORD_GATEWAY_URL="ws://127.0.0.1:9/",
    )
    result = briefbot("run", env=env)
    assert result.returncode == 2
    assert "briefbot: could not reach http://127.0.0.1:9/api/v10" in result.stderr
    assert "Traceback" not in result.stderr
    assert "not-a-real-token" not in result.stderr


def test_a_line_that_is_no_command_is_a_question() -> None:
    result = briefbot("ask", "what did huang say about huawei?", "!company huawei")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "!ask what did huang say about huawei?\nJensen Huang on Huawei\n"
    )
    assert "Understood as: statements by Jensen Huang about Huawei." in result.stdout
    assert "\n\n!company huawei\nCompany or organisation: Huawei\n" in result.stdout


def test_the_console_answers_questions_and_refuses_what_the_article_does_not_say() -> None:
    stdin = "who is jensen huang\nwhat is the price of the h20\n"
    result = briefbot("console", stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert "Person: Jensen Huang\n" in result.stdout
    assert "The article does not say: it does not mention “price”." in result.stdout


def test_the_console_wraps_between_words_and_keeps_marks_with_their_text() -> None:
    text = "- " + "word " * 30 + "end\u00a0¶3\u00a0¶5\n\nA short line."
    lines = wrapped(text, 40).splitlines()
    assert all(len(line) <= 40 for line in lines)
    assert lines[0].startswith("- ") and all(line.startswith("  ") for line in lines[1:-2])
    assert lines[-3].endswith("end\u00a0¶3\u00a0¶5")  # a mark never starts a line on its own
    assert lines[-2:] == ["", "A short line."]
    assert " ".join(" ".join(lines).split()) == " ".join(text.split())  # nothing lost

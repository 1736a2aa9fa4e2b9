"""Loading knowledge: every mistake is reported with its file, line, field and a fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.knowledge import loader
from bot.knowledge.loader import (
    MAX_FILE_BYTES,
    KnowledgeError,
    KnowledgeLoadError,
    load_knowledge,
)
from bot.knowledge.model import Kind, KnowledgeBase
from tests.helpers import KNOWLEDGE_FILE_NAME, SHIPPED_KNOWLEDGE, edit_file

SECOND_FILE = """\
article:
  id: second-article
  title: "Jensen Huang Shares His Vision For NVIDIA, Also Deepening His Commitment to
    China's AI Future"
  source: ../seeds/jensen-huang-nvidia-china-ai-future.txt
  body_ends_before: "Expert analysis on U.S. markets and macro trends"
  debris: ["NVDA--", "AMD--", "QCOM--", "AMZN--"]
  briefing:
    - text: "Huang introduced the RTX Pro GPU."
      sources:
        - "Huang introduced the newly released RTX Pro GPU"
entries:
  - id: h20-again
    kind: product
    name: H20 once more
    aliases: []
    summary: "A second entry about the H20."
    related: []
    sources:
      - "more advanced than the H20"
statements: []
"""


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line on which the n-th occurrence of `needle` starts."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    return text[:index].count("\n") + 1


def load_errors(directory: Path) -> list[KnowledgeError]:
    with pytest.raises(KnowledgeLoadError) as caught:
        load_knowledge(directory)
    assert str(caught.value) == "\n".join(str(error) for error in caught.value.errors)
    return caught.value.errors


def only_error(directory: Path) -> KnowledgeError:
    errors = load_errors(directory)
    assert len(errors) == 1, [str(error) for error in errors]
    return errors[0]


def assert_located(error: KnowledgeError, file: Path, line: int, field: str) -> None:
    """The error names the file, line and field, in that order, for an admin to jump to."""
    assert error.line == line, str(error)
    assert error.field == field, str(error)
    assert f"{file.name}:{line}: {field}: " in str(error)


# ------------------------------------------------------------------------------- loads


def test_shipped_knowledge_loads() -> None:
    knowledge = load_knowledge(SHIPPED_KNOWLEDGE)
    assert isinstance(knowledge, KnowledgeBase)
    assert [article.id for article in knowledge.articles] == ["nvidia-huang-china-ai"]
    assert knowledge.entries["h20"].kind is Kind.PRODUCT
    assert knowledge.statements


def test_an_alias_may_be_shared_by_entries_of_different_kinds(knowledge_file: Path) -> None:
    edit_file(
        knowledge_file,
        'aliases: ["Chinese AI progress"',
        'aliases: ["Huawei", "Chinese AI progress"',
    )
    knowledge = load_knowledge(knowledge_file.parent)
    assert "Huawei" in knowledge.entries["china-ai-advancements"].aliases
    assert knowledge.entries["huawei"].name == "Huawei"


# -------------------------------------------------------------------- file-level faults


def test_bad_yaml_syntax_names_its_line(knowledge_file: Path) -> None:
    text = edit_file(knowledge_file, "    name: H20\n", "    name: H20: chip\n")
    error = only_error(knowledge_file.parent)
    assert error.line == line_of(text, "name: H20: chip")
    assert f"{knowledge_file.name}:{error.line}: YAML syntax: " in str(error)


def test_file_that_is_not_utf8_names_the_line(knowledge_file: Path) -> None:
    text = knowledge_file.read_text(encoding="utf-8")
    assert "    name: Kimi\n" in text
    knowledge_file.write_bytes(text.encode().replace(b"    name: Kimi\n", b"    name: Kim\xe9\n"))
    error = only_error(knowledge_file.parent)
    assert error.line == line_of(text, "    name: Kimi\n")
    assert "is not UTF-8" in error.message
    assert "save it as UTF-8" in error.message


def test_empty_file_is_reported(knowledge_file: Path) -> None:
    knowledge_file.write_text("", encoding="utf-8")
    error = only_error(knowledge_file.parent)
    assert f"{knowledge_file.name}:1: " in str(error)
    assert "empty" in error.message


def test_file_over_the_size_limit_is_refused(knowledge_file: Path) -> None:
    text = knowledge_file.read_text(encoding="utf-8")
    knowledge_file.write_text(text + "#" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    error = only_error(knowledge_file.parent)
    assert error.file.endswith(knowledge_file.name)
    assert f"larger than {MAX_FILE_BYTES:,} bytes" in error.message


def test_missing_directory_is_reported(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-knowledge"
    error = only_error(missing)
    assert error.file == str(missing)
    assert "is not a directory" in error.message


def test_directory_without_yaml_is_reported(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not knowledge", encoding="utf-8")
    error = only_error(tmp_path)
    assert "holds no .yaml knowledge file" in error.message


def test_symlink_loop_is_reported_not_followed(knowledge_copy: Path) -> None:
    loop = knowledge_copy / "loop.yaml"
    os.symlink(loop, loop)
    error = only_error(knowledge_copy)
    assert error.file.endswith("loop.yaml")
    assert "cannot be read" in error.message


# ------------------------------------------------------------------------ schema faults


def test_missing_required_field_points_at_its_entry(knowledge_file: Path) -> None:
    summary = '    summary: "Blackwell is the architecture on which the newly released RTX Pro'
    text = knowledge_file.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines(keepends=True) if line.startswith(summary))
    text = edit_file(knowledge_file, line, "")
    error = only_error(knowledge_file.parent)
    assert_located(
        error, knowledge_file, line_of(text, "  - id: blackwell"), "entries[2] (blackwell).summary"
    )
    assert "is missing; add 'summary'" in error.message


def test_wrong_type_names_the_expected_type(knowledge_file: Path) -> None:
    text = edit_file(
        knowledge_file,
        'aliases: ["Blackwell architecture"]',
        'aliases: "Blackwell architecture"',
    )
    error = only_error(knowledge_file.parent)
    line = line_of(text, 'aliases: "Blackwell architecture"')
    assert_located(error, knowledge_file, line, "entries[2] (blackwell).aliases")
    assert error.message == "must be a list, not text"


def test_unknown_field_is_named_with_the_allowed_ones(knowledge_file: Path) -> None:
    text = edit_file(
        knowledge_file, "    name: Blackwell\n", "    name: Blackwell\n    colour: green\n"
    )
    error = only_error(knowledge_file.parent)
    line = line_of(text, "colour: green")
    assert_located(error, knowledge_file, line, "entries[2] (blackwell).colour")
    assert "is not a known field" in error.message
    assert "remove it or fix its spelling" in error.message


def test_misspelt_field_reports_both_the_unknown_and_the_missing_name(knowledge_file: Path) -> None:
    text = edit_file(knowledge_file, '    summary: "Blackwell is', '    summery: "Blackwell is')
    errors = load_errors(knowledge_file.parent)
    assert {(error.field, error.line) for error in errors} == {
        ("entries[2] (blackwell).summary", line_of(text, "  - id: blackwell")),
        ("entries[2] (blackwell).summery", line_of(text, "summery:")),
    }


def test_bad_id_pattern_shows_an_example(knowledge_file: Path) -> None:
    text = edit_file(knowledge_file, "  - id: blackwell\n", "  - id: Blackwell_Arch\n")
    error = only_error(knowledge_file.parent)
    line = line_of(text, "id: Blackwell_Arch")
    assert_located(error, knowledge_file, line, "entries[2] (Blackwell_Arch).id")
    assert "lowercase id" in error.message
    assert "'rtx-pro'" in error.message


def test_unknown_kind_lists_the_kinds(knowledge_file: Path) -> None:
    text = edit_file(
        knowledge_file, "kind: product\n    name: Blackwell", "kind: chip\n    name: Blackwell"
    )
    error = only_error(knowledge_file.parent)
    assert_located(
        error, knowledge_file, line_of(text, "kind: chip"), "entries[2] (blackwell).kind"
    )
    assert "product, organisation, person, topic, figure" in error.message


def test_figure_without_value_asks_for_one(knowledge_file: Path) -> None:
    text = edit_file(knowledge_file, '    value: "3rd"\n', "")
    error = only_error(knowledge_file.parent)
    line = line_of(text, "  - id: cisce-edition")
    assert_located(error, knowledge_file, line, "entries[42] (cisce-edition).value")
    assert "add 'value'" in error.message


def test_value_on_a_non_figure_is_refused(knowledge_file: Path) -> None:
    text = edit_file(
        knowledge_file, "    name: Blackwell\n", '    name: Blackwell\n    value: "1"\n'
    )
    error = only_error(knowledge_file.parent)
    line = line_of(text, 'value: "1"')
    assert_located(error, knowledge_file, line, "entries[2] (blackwell).value")
    assert "only for figures; remove it or set kind: figure" in error.message


def test_date_where_text_is_expected_is_not_called_a_number(knowledge_file: Path) -> None:
    edit_file(knowledge_file, 'value: "3rd"', "value: 2025-07-20")
    error = only_error(knowledge_file.parent)
    assert error.message.startswith("must be text")
    assert "number" not in error.message


def test_numeric_key_is_reported_at_its_own_line(knowledge_file: Path) -> None:
    text = edit_file(knowledge_file, "    name: Blackwell\n", "    name: Blackwell\n    2025: x\n")
    error = only_error(knowledge_file.parent)
    assert error.line == line_of(text, "2025: x")
    assert "'2025' is not a field name" in error.message


def test_numeric_and_text_unknown_keys_are_reported_not_crashing(knowledge_file: Path) -> None:
    edit_file(
        knowledge_file, "    name: Blackwell\n", "    name: Blackwell\n    2025: x\n    foo: y\n"
    )
    errors = load_errors(knowledge_file.parent)
    assert errors
    assert all(error.file.endswith(knowledge_file.name) for error in errors)


# ----------------------------------------------------------------- identity and names


def test_duplicate_id_within_a_file_names_both_places(knowledge_file: Path) -> None:
    duplicate = (
        "  - id: blackwell\n"
        "    kind: product\n"
        "    name: Blackwell GPU\n"
        "    aliases: []\n"
        '    summary: "Again."\n'
        "    related: []\n"
        "    sources:\n"
        '      - "based on the Blackwell architecture"\n\n'
    )
    text = edit_file(knowledge_file, "  - id: hopper\n", duplicate + "  - id: hopper\n")
    error = only_error(knowledge_file.parent)
    second = line_of(text, "  - id: blackwell", occurrence=2)
    assert_located(error, knowledge_file, second, "entries[3] (blackwell).id")
    first = line_of(text, "  - id: blackwell")
    assert f"already used at {knowledge_file}:{first}; ids must be unique" in error.message


def test_duplicate_id_across_files_names_the_other_file(knowledge_file: Path) -> None:
    second = knowledge_file.parent / "second.yaml"
    second.write_text(SECOND_FILE.replace("id: h20-again", "id: h20"), encoding="utf-8")
    error = only_error(knowledge_file.parent)
    line = line_of(second.read_text(encoding="utf-8"), "  - id: h20")
    assert_located(error, second, line, "entries[0] (h20).id")
    first = line_of(knowledge_file.read_text(encoding="utf-8"), "  - id: h20\n")
    assert f"already used at {knowledge_file}:{first}" in error.message


def test_a_second_file_with_its_own_ids_loads(knowledge_file: Path) -> None:
    (knowledge_file.parent / "second.yaml").write_text(SECOND_FILE, encoding="utf-8")
    knowledge = load_knowledge(knowledge_file.parent)
    assert knowledge.entries["h20-again"].article_id == "second-article"
    assert len(knowledge.articles) == 2


def test_alias_shared_by_two_entries_of_one_kind_is_refused(knowledge_file: Path) -> None:
    text = edit_file(
        knowledge_file,
        'aliases: ["Hopper architecture"]',
        'aliases: ["Hopper architecture", "Blackwell"]',
    )
    error = only_error(knowledge_file.parent)
    line = line_of(text, '"Hopper architecture", "Blackwell"')
    assert_located(error, knowledge_file, line, "entries[3] (hopper).aliases[1]")
    assert "'Blackwell' is also a name of the product 'blackwell'" in error.message
    assert "give each product its own names" in error.message


def test_alias_shared_across_files_within_a_kind_is_refused(knowledge_file: Path) -> None:
    second = knowledge_file.parent / "second.yaml"
    second.write_text(SECOND_FILE.replace("name: H20 once more", "name: H20"), encoding="utf-8")
    error = only_error(knowledge_file.parent)
    assert_located(
        error, second, line_of(SECOND_FILE, "name: H20 once more"), "entries[0] (h20-again).name"
    )
    assert "also a name of the product 'h20'" in error.message


# -------------------------------------------------------------------------- references


def test_related_reference_to_a_missing_id(knowledge_file: Path) -> None:
    text = edit_file(
        knowledge_file, "related: [rtx-pro, nvidia]\n", "related: [rtx-pro, nvidia, rtx-max]\n"
    )
    error = only_error(knowledge_file.parent)
    line = line_of(text, "related: [rtx-pro, nvidia, rtx-max]")
    assert_located(error, knowledge_file, line, "entries[2] (blackwell).related[2]")
    assert "refers to 'rtx-max', but no entry has that id; fix the id or add the entry" in (
        error.message
    )


def test_about_reference_to_a_missing_id(knowledge_file: Path) -> None:
    text = edit_file(
        knowledge_file, "    about: [chip-competition]\n", "    about: [chip-rivalry]\n"
    )
    error = only_error(knowledge_file.parent)
    line = line_of(text, "about: [chip-rivalry]")
    assert_located(
        error, knowledge_file, line, "statements[20] (st-rivals-validate-vitality).about[0]"
    )
    assert "refers to 'chip-rivalry', but no entry has that id" in error.message


def test_speaker_must_be_a_person(knowledge_file: Path) -> None:
    text = edit_file(
        knowledge_file,
        "  - id: st-rivals-validate-vitality\n    speaker: jensen-huang\n",
        "  - id: st-rivals-validate-vitality\n    speaker: nvidia\n",
    )
    error = only_error(knowledge_file.parent)
    line = line_of(text, "    speaker: nvidia")
    assert_located(
        error, knowledge_file, line, "statements[20] (st-rivals-validate-vitality).speaker"
    )
    assert "a speaker must be a person" in error.message


# ------------------------------------------------------------------ against the article


def test_excerpt_not_in_the_article(knowledge_file: Path) -> None:
    text = edit_file(
        knowledge_file,
        '- "the newly released RTX Pro GPU, based on the Blackwell architecture"',
        '- "the newly released RTX Pro GPU, built on the Blackwell architecture"',
    )
    error = only_error(knowledge_file.parent)
    line = line_of(text, "built on the Blackwell architecture")
    assert_located(error, knowledge_file, line, "entries[2] (blackwell).sources[0]")
    assert "is not in the article; copy the article's words exactly" in error.message


def test_statement_text_must_be_verbatim(knowledge_file: Path) -> None:
    text = edit_file(
        knowledge_file,
        'text: "welcomed competition as a driver of industry progress"',
        'text: "welcomed competition as the driver of industry progress"',
    )
    error = only_error(knowledge_file.parent)
    line = line_of(text, "welcomed competition as the driver")
    assert_located(error, knowledge_file, line, "statements[19] (st-welcomed-competition).text")
    assert "a statement must be the article's exact words" in error.message


def test_direct_statement_must_be_inside_quotation_marks(knowledge_file: Path) -> None:
    text = edit_file(
        knowledge_file,
        'text: "welcomed competition as a driver of industry progress"\n    direct: false',
        'text: "welcomed competition as a driver of industry progress"\n    direct: true',
    )
    error = only_error(knowledge_file.parent)
    line = line_of(text, 'industry progress"\n    direct: true') + 1
    assert_located(error, knowledge_file, line, "statements[19] (st-welcomed-competition).direct")
    assert "set it to false (reported speech)" in error.message


def test_body_ends_before_not_found_in_the_article(knowledge_file: Path) -> None:
    text = edit_file(
        knowledge_file, 'body_ends_before: "Expert analysis', 'body_ends_before: "Expert essays'
    )
    error = only_error(knowledge_file.parent)
    assert_located(
        error, knowledge_file, line_of(text, "body_ends_before:"), "article.body_ends_before"
    )
    assert "no line of the article starts with 'Expert essays" in error.message


def test_missing_article_source_file(knowledge_file: Path) -> None:
    text = edit_file(knowledge_file, "source: ../seeds/jensen", "source: ../seeds/missing-jensen")
    error = only_error(knowledge_file.parent)
    assert_located(
        error, knowledge_file, line_of(text, "source: ../seeds/missing"), "article.source"
    )
    assert "missing-jensen-huang-nvidia-china-ai-future.txt cannot be read" in error.message


def test_title_must_match_the_headline(knowledge_file: Path) -> None:
    text = edit_file(
        knowledge_file, 'title: "Jensen Huang Shares His', 'title: "Jensen Huang Shares Her'
    )
    error = only_error(knowledge_file.parent)
    assert_located(error, knowledge_file, line_of(text, "title:"), "article.title")
    assert "copy the headline exactly" in error.message


def test_unlisted_ticker_debris_points_at_the_debris_list(knowledge_file: Path) -> None:
    text = edit_file(knowledge_file, '"QCOM--", ', "")
    error = only_error(knowledge_file.parent)
    assert_located(error, knowledge_file, line_of(text, "debris:"), "article.debris")
    assert "'QCOM--'" in error.message


# ----------------------------------------------------------------------- all or nothing


def test_every_independent_mistake_is_reported_at_once(knowledge_file: Path) -> None:
    edit_file(knowledge_file, 'title: "Jensen Huang Shares His', 'title: "Jensen Huang Shares Her')
    text = edit_file(
        knowledge_file, "related: [rtx-pro, nvidia]\n", "related: [rtx-pro, nvidia, rtx-max]\n"
    )
    errors = load_errors(knowledge_file.parent)
    assert [(error.field, error.line) for error in errors] == [
        ("article.title", line_of(text, "title:")),
        ("entries[2] (blackwell).related[2]", line_of(text, "rtx-max")),
    ]


def test_mistakes_in_two_files_are_all_reported(knowledge_file: Path) -> None:
    edit_file(knowledge_file, 'title: "Jensen Huang Shares His', 'title: "Jensen Huang Shares Her')
    (knowledge_file.parent / "second.yaml").write_text("", encoding="utf-8")
    errors = load_errors(knowledge_file.parent)
    assert sorted(Path(error.file).name for error in errors) == [knowledge_file.name, "second.yaml"]


def test_one_bad_excerpt_fails_the_whole_load(knowledge_file: Path) -> None:
    edit_file(
        knowledge_file,
        '- "the newly released RTX Pro GPU, based on the Blackwell architecture"',
        '- "invented words"',
    )
    with pytest.raises(KnowledgeLoadError):
        load_knowledge(knowledge_file.parent)


def test_a_broken_second_file_fails_the_valid_first_one_too(knowledge_file: Path) -> None:
    (knowledge_file.parent / "second.yaml").write_text(
        SECOND_FILE.replace("more advanced than the H20", "less advanced than the H20"),
        encoding="utf-8",
    )
    errors = load_errors(knowledge_file.parent)
    assert [Path(error.file).name for error in errors] == ["second.yaml"]


def test_direct_quotation_written_with_its_quote_marks_says_to_leave_them_out(
    knowledge_file: Path,
) -> None:
    text = edit_file(
        knowledge_file, 'text: "redefining computing"', "text: '\"redefining computing\"'"
    )
    error = only_error(knowledge_file.parent)
    assert error.line == line_of(text, "text: '\"redefining computing\"'")
    assert error.field.endswith(".text")
    assert "leave the marks out" in error.message


# ---------------------------------------------------- edits that would put words in mouths


def test_a_figure_value_the_sources_do_not_give_is_refused(knowledge_file: Path) -> None:
    text = edit_file(knowledge_file, 'value: "about 50%"', 'value: "about 90%"')
    error = only_error(knowledge_file.parent)
    assert error.line == line_of(text, 'value: "about 90%"')
    assert error.field.endswith("(ai-researchers-share).value")
    assert "is not in this entry's sources" in error.message


def test_debris_may_only_be_ticker_shaped(knowledge_file: Path) -> None:
    edit_file(knowledge_file, 'debris: ["NVDA--",', 'debris: ["extremely ", "NVDA--",')
    error = only_error(knowledge_file.parent)
    assert error.field == "article.debris[0]"
    assert "must be ticker debris such as 'NVDA--'" in error.message


def test_a_statement_cut_inside_a_word_is_not_the_article_text(knowledge_file: Path) -> None:
    quote = (
        'text: "underestimating Huawei and China’s manufacturing capabilities is extremely naive"'
    )
    if quote not in knowledge_file.read_text(encoding="utf-8"):
        quote = quote.replace("’", "'")
    edit_file(knowledge_file, quote, quote.replace('"underestimating', '"nderestimating'))
    error = only_error(knowledge_file.parent)
    assert error.field.endswith(".text")
    assert "is not in the article" in error.message


def test_replies_cite_the_article_by_its_place_beside_the_knowledge(knowledge_copy: Path) -> None:
    # The copy lives outside the working directory: no absolute server path may leak out.
    [article] = load_knowledge(knowledge_copy).articles
    assert article.source == "seeds/jensen-huang-nvidia-china-ai-future.txt"


# Size: a knowledge directory may hold thousands of articles; the caps are on bytes and entries.


def test_a_thousand_and_more_articles_are_not_refused_for_their_number(tmp_path: Path) -> None:
    from bench.corpus import write_corpus  # the benchmark's generator writes real knowledge

    write_corpus(tmp_path, 1001, entries=2)
    knowledge = load_knowledge(tmp_path / "knowledge")
    assert len(knowledge.articles) == 1001
    assert len(knowledge.entries) == 2002


def test_knowledge_over_the_byte_limit_is_refused_before_it_is_read(
    knowledge_copy: Path, monkeypatch
) -> None:
    size = (knowledge_copy / KNOWLEDGE_FILE_NAME).stat().st_size
    monkeypatch.setattr(loader, "MAX_TOTAL_BYTES", size - 1)
    monkeypatch.setattr(loader, "parse_yaml", lambda text: pytest.fail("a file was parsed"))
    with pytest.raises(KnowledgeLoadError) as caught:
        load_knowledge(knowledge_copy)
    [error] = caught.value.errors
    assert f"holds {size:,} bytes of knowledge files" in error.message


def test_knowledge_over_the_entry_limit_is_refused(knowledge_copy: Path, monkeypatch) -> None:
    count = len(load_knowledge(knowledge_copy).entries)
    monkeypatch.setattr(loader, "MAX_ENTRIES", count - 1)
    with pytest.raises(KnowledgeLoadError) as caught:
        load_knowledge(knowledge_copy)
    assert f"holds {count:,} entries; the limit is {count - 1:,}" in str(caught.value)


def test_look_up_tables_answer_what_the_scans_did(shipped_index) -> None:  # type: ignore[no-untyped-def]
    """statements_about, of_kind, article and statement, against the definitions they replace."""
    knowledge = shipped_index.knowledge

    def names_in(entry, text: str) -> bool:  # type: ignore[no-untyped-def]
        lowered = text.casefold()
        for needle in (name.casefold() for name in entry.names):
            start = lowered.find(needle) if len(needle) >= 3 else -1
            while start >= 0:
                end = start + len(needle)
                before = lowered[start - 1] if start else " "
                after = lowered[end] if end < len(lowered) else " "
                if not before.isalnum() and not after.isalnum():
                    return True
                start = lowered.find(needle, start + 1)
        return False

    for entry in knowledge.entries.values():
        scanned = [
            s
            for s in knowledge.statements
            if entry.id in s.about or s.speaker == entry.id or names_in(entry, s.text)
        ]
        assert knowledge.statements_about(entry) == scanned, entry.id
    assert sum(len(knowledge.statements_about(e)) for e in knowledge.entries.values()) > len(
        knowledge.statements
    )
    for kind in Kind:
        assert knowledge.of_kind(kind) == [e for e in knowledge.entries.values() if e.kind is kind]
        assert shipped_index.keys_of(kind) == [e.id for e in knowledge.of_kind(kind)]
    for article in knowledge.articles:
        assert knowledge.article(article.id) is article
    for statement in knowledge.statements:
        assert shipped_index.statement(statement.id) is statement


# ------------------------------------------------------------------ errors shown in a chat


def test_a_chat_sees_files_relative_to_the_knowledge_and_no_host_path(
    knowledge_file: Path,
) -> None:
    knowledge = knowledge_file.parent
    edit_file(knowledge_file, "  source: ../seeds/", "  source: ../seeds/missing-")
    error = only_error(knowledge)
    assert str(knowledge.parent) in str(error)  # the log and `briefbot check` keep the path
    shown = error.shown_from(knowledge)
    assert shown.startswith(f"{knowledge_file.name}:")
    assert "article.source: the article file ../seeds/missing-" in shown
    assert str(knowledge.parent) not in shown and "/tmp" not in shown


@pytest.mark.parametrize("where", ["absolute", "relative to the working directory"])
def test_any_path_in_an_error_is_cut_from_what_a_chat_sees(
    tmp_path: Path, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge = tmp_path / "srv" / "knowledge"
    if where != "absolute":
        monkeypatch.chdir(tmp_path)
    file = knowledge / "x.yaml"
    named = str(file) if where == "absolute" else os.path.relpath(file)
    crash = KnowledgeError(
        named, 5, "", f"cannot be read: [Errno 13] '{knowledge}/x.yaml' or /etc/briefbot/secret"
    )
    assert crash.shown_from(knowledge) == "x.yaml:5: cannot be read: [Errno 13] 'x.yaml' or secret"
    whole = KnowledgeError(str(knowledge), None, "", "holds no .yaml knowledge file")
    assert whole.shown_from(knowledge) == "knowledge/: holds no .yaml knowledge file"

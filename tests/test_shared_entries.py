"""Entries several articles share: one identity, each article's own coverage, located errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.knowledge.loader import KnowledgeError, KnowledgeLoadError, load_knowledge
from bot.knowledge.model import Kind
from bot.knowledge.provenance import coverage
from tests.helpers import KNOWLEDGE_FILE_NAME, MORE_ARTICLES, copy_several_articles, edit_file

SECOND = "huawei-ascend-h20.yaml"
THIRD = "export-rules-update.yaml"


@pytest.fixture
def several_copy(tmp_path: Path) -> Path:
    """A writable knowledge directory with all three articles and the identities file."""
    return copy_several_articles(tmp_path)


def errors_of(directory: Path) -> list[KnowledgeError]:
    with pytest.raises(KnowledgeLoadError) as caught:
        load_knowledge(directory)
    return caught.value.errors


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    text = path.read_text(encoding="utf-8")
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    return text[:index].count("\n") + 1


def test_an_entry_gathers_every_articles_coverage_newest_first(several_index) -> None:  # type: ignore[no-untyped-def]
    huawei = several_index.knowledge.entries["huawei"]
    # Dated article first, then the undated ones in file order.
    assert huawei.article_ids == (
        "huawei-ascend-h20",
        "export-rules-update",
        "nvidia-huang-china-ai",
    )
    assert huawei.kind is Kind.ORGANISATION and huawei.name == "Huawei"
    assert huawei.summary.startswith("Huawei is shipping more of its Ascend 910C")
    assert {e.article_id for e in huawei.sources} == {"huawei-ascend-h20"}
    shipped = huawei.in_article("nvidia-huang-china-ai")
    assert shipped is not None and shipped.summary.startswith("Huang thinks underestimating")
    assert {e.article_id for e in shipped.sources} == {"nvidia-huang-china-ai"}
    # The identity's names, plus the alias the second article adds, once each.
    assert huawei.aliases == ("华为", "Huawei Technologies", "华为技术")


def test_an_identity_from_the_shared_file_is_covered_by_the_articles(several_index) -> None:  # type: ignore[no-untyped-def]
    smic = several_index.knowledge.entries["smic"]
    assert smic.name == "SMIC" and smic.kind is Kind.ORGANISATION
    assert smic.article_ids == ("huawei-ascend-h20", "export-rules-update")


def test_every_synthetic_article_is_fully_cited(several_index) -> None:  # type: ignore[no-untyped-def]
    for article in coverage(several_index.knowledge):
        assert article.percent == 100.0, (article.article.id, article.uncited)


def test_article_metadata_is_read_only_when_given(several_index) -> None:  # type: ignore[no-untyped-def]
    second = several_index.knowledge.article("huawei-ascend-h20")
    assert second.published == date(2025, 8, 2)
    assert second.outlet == "Example Wire"
    assert second.url == "https://example.com/2025/08/02/huawei-ascend-h20"
    shipped = several_index.knowledge.article("nvidia-huang-china-ai")
    assert (shipped.published, shipped.outlet, shipped.url) == (None, "", "")


def test_two_files_defining_one_identity_is_an_error_naming_both(several_copy: Path) -> None:
    second = several_copy / SECOND
    edit_file(
        second,
        "  - id: nvidia\n",
        "  - id: nvidia\n    kind: organisation\n    name: NVIDIA Corp\n    aliases: []\n",
    )
    [error] = errors_of(several_copy)
    # Files load in name order: the shipped file defines it second, and is told where the first is.
    shipped = several_copy / KNOWLEDGE_FILE_NAME
    line = line_of(shipped, "  - id: nvidia")
    assert str(error).endswith(
        f"{KNOWLEDGE_FILE_NAME}:{line}: entries[7] (nvidia).id: {error.message}"
    )
    first = line_of(second, "  - id: nvidia")
    assert f"already used at {second}:{first}, which defines it" in error.message
    assert "keep only id, summary, related, sources" in error.message


def test_an_identity_in_the_shared_file_and_an_article_clash(several_copy: Path) -> None:
    entities = several_copy / "entities.yaml"
    edit_file(
        entities,
        "  - id: smic\n",
        "  - id: huawei\n    kind: organisation\n    name: Huawei Co\n    aliases: []\n"
        "  - id: smic\n",
    )
    [error] = errors_of(several_copy)
    assert error.file.endswith(KNOWLEDGE_FILE_NAME)
    assert error.field == "entries[8] (huawei).id"
    assert f"already used at {entities}:{line_of(entities, '  - id: huawei')}" in error.message


def test_a_contribution_to_an_id_nobody_defines_says_what_to_add(several_copy: Path) -> None:
    second = several_copy / SECOND
    edit_file(second, "  - id: smic\n", "  - id: smicc\n")
    [error] = errors_of(several_copy)
    assert error.line == line_of(second, "  - id: smicc")
    assert error.field == "entries[3] (smicc).id"
    assert "adds to the entry 'smicc', but no file defines it" in error.message
    assert "give this entry kind, name and aliases" in error.message
    assert "entities: [{id: smicc, kind: …, name: …, aliases: []}]" in error.message


def test_an_identity_no_article_covers_is_an_error(several_copy: Path) -> None:
    entities = several_copy / "entities.yaml"
    edit_file(
        entities,
        "  - id: smic\n",
        "  - id: tsmc\n    kind: organisation\n    name: TSMC\n    aliases: []\n  - id: smic\n",
    )
    [error] = errors_of(several_copy)
    assert (error.file, error.line, error.field) == (str(entities), 5, "entities[0] (tsmc).id")
    assert "no article says anything about 'tsmc'; add an entry with id: tsmc" in error.message


def test_a_contributed_alias_is_checked_like_any_name(several_copy: Path) -> None:
    second = several_copy / SECOND
    edit_file(second, 'aliases: ["华为技术"]', 'aliases: ["Huawei Technologies", "NVIDIA"]')
    errors = errors_of(several_copy)
    assert [e.field for e in errors] == [
        "entries[0] (huawei).aliases[0]",
        "entries[0] (huawei).aliases[1]",
    ]
    assert "'Huawei Technologies' is already a name of 'huawei'; remove it" in errors[0].message
    assert "'NVIDIA' is also a name of the organisation 'nvidia'" in errors[1].message


def test_a_figure_is_one_articles_number(several_copy: Path) -> None:
    third = several_copy / THIRD
    edit_file(
        third,
        "  - id: smic\n",
        '  - id: ascend-shipments\n    summary: "Again."\n    related: []\n'
        '    sources: ["Huawei and SMIC remain on the Entity List."]\n  - id: smic\n',
    )
    [error] = errors_of(several_copy)
    assert error.file.endswith(THIRD) and error.field == "entries[3] (ascend-shipments).id"
    assert "a figure is one article's number; give this one an id of its own" in error.message


def test_an_entry_with_a_kind_defines_an_identity_and_needs_all_of_it(several_copy: Path) -> None:
    second = several_copy / SECOND
    edit_file(second, "  - id: nvidia\n", "  - id: nvidia\n    kind: organisation\n")
    errors = errors_of(several_copy)
    assert [(e.field, e.message) for e in errors] == [
        ("entries[1] (nvidia).name", "is missing; add 'name'"),
        ("entries[1] (nvidia).aliases", "is missing; add 'aliases'"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            'date: "2025-08-02"',
            'date: "2025-08-03"',
            "article.date",
            "August 3, 2025 is not stated in the article file",
        ),
        ('date: "2025-08-02"', 'date: "2025-02-30"', "article.date", "is not a real date"),
        (
            'date: "2025-08-02"',
            "date: 2025-08-02",
            "article.date",
            "must be text, not a date; put it in quotes",
        ),
        (
            'date: "2025-08-02"',
            'date: "2 Aug 2025"',
            "article.date",
            "must be a date as YYYY-MM-DD",
        ),
        (
            "outlet: Example Wire",
            "outlet: Reuters",
            "article.outlet",
            "'Reuters' is not named in the article file",
        ),
        ("url: https://example.com/", "url: example.com/", "article.url", "must be a web address"),
    ],
)
def test_metadata_must_be_what_the_article_states(
    several_copy: Path, old: str, new: str, field: str, message: str
) -> None:
    second = several_copy / SECOND
    edit_file(second, old, new)
    [error] = errors_of(several_copy)
    assert (error.file, error.field) == (str(second), field), str(error)
    assert error.line == line_of(second, new.split(":")[0] + ":")
    assert message in error.message


def test_the_example_files_are_where_the_readme_says(several_index) -> None:  # type: ignore[no-untyped-def]
    assert (MORE_ARTICLES / "knowledge" / "entities.yaml").is_file()
    assert len(several_index.knowledge.articles) == 3

"""Reading knowledge YAML safely, with the line of every field."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.knowledge import yaml_source
from bot.knowledge.yaml_source import MAX_DEPTH, YamlFileError, parse_yaml


def refusal(text: str) -> YamlFileError:
    with pytest.raises(YamlFileError) as caught:
        parse_yaml(text)
    return caught.value


def test_plain_mapping_is_read_as_plain_data() -> None:
    doc = parse_yaml("article:\n  id: x\nentries: [a, b]\n")
    assert doc.data == {"article": {"id": "x"}, "entries": ["a", "b"]}


def test_python_object_tag_is_refused_and_nothing_runs(tmp_path: Path) -> None:
    witness = tmp_path / "executed"
    text = f"article:\n  id: !!python/object/apply:os.system ['touch {witness}']\n"
    error = refusal(text)
    assert error.line == 2
    assert not witness.exists()


def test_alias_is_refused_with_its_line() -> None:
    error = refusal("a: &name hello\nb: *name\n")
    assert error.line == 2
    assert "aliases" in error.message


def test_billion_laughs_is_refused_fast() -> None:
    lines = ['lol0: &lol0 "lol"']
    for level in range(1, 10):
        previous = ", ".join([f"*lol{level - 1}"] * 10)
        lines.append(f"lol{level}: &lol{level} [{previous}]")
    started = time.perf_counter()
    error = refusal("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 1.0
    assert error.line == 2


def test_nesting_at_max_depth_is_read() -> None:
    doc = parse_yaml("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    assert isinstance(doc.data, list)


def test_nesting_deeper_than_max_depth_is_refused() -> None:
    depth = MAX_DEPTH + 1
    error = refusal("x:\n  y: " + "[" * depth + "]" * depth + "\n")
    assert f"deeper than {MAX_DEPTH}" in error.message
    assert error.line == 2


def test_very_deep_nesting_is_refused_not_crashing() -> None:
    error = refusal("[" * 5000 + "]" * 5000)
    assert f"deeper than {MAX_DEPTH}" in error.message


def test_duplicate_key_is_refused_at_the_second_key() -> None:
    error = refusal("entry:\n  name: one\n  summary: s\n  name: two\n")
    assert error.line == 4
    assert "'name' appears twice" in error.message


def test_syntax_error_gives_its_line() -> None:
    error = refusal("article:\n  id: x\n  title: a: b\n")
    assert error.line == 3
    assert error.message.startswith("YAML syntax:")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_document_is_refused(text: str) -> None:
    error = refusal(text)
    assert error.line == 1
    assert "empty" in error.message


def test_line_of_a_nested_field() -> None:
    doc = parse_yaml(
        "# comment\n"
        "entries:\n"
        "  - id: a\n"
        "    aliases: [x]\n"
        "  - id: b\n"
        "    aliases:\n"
        "      - y\n"
        "      - z\n"
    )
    assert doc.line_of(("entries",)) == 2
    assert doc.line_of(("entries", 1)) == 5
    assert doc.line_of(("entries", 1, "aliases")) == 6
    assert doc.line_of(("entries", 1, "aliases", 1)) == 8
    assert doc.line_of(("entries", 0, "aliases", 0)) == 4


def test_line_of_a_missing_field_is_its_nearest_parent() -> None:
    doc = parse_yaml("entries:\n  - id: a\n  - id: b\n    name: n\n")
    assert doc.line_of(("entries", 1, "summary")) == 3
    assert doc.line_of(("entries", 7, "name")) == 1
    assert doc.line_of(("statements",)) == 1


# libyaml reads good files; anything it fails on or we refuse is read again carefully.

SHIPPED_FILE = Path(__file__).resolve().parents[1] / "knowledge" / "nvidia-huang-china-ai.yaml"


def test_libyaml_and_the_careful_loader_read_the_same_document_and_lines() -> None:
    text = SHIPPED_FILE.read_text(encoding="utf-8")
    fast, careful = yaml_source._parse_with_libyaml(text), yaml_source._parse_carefully(text)
    assert fast.data == careful.data
    assert fast.lines == careful.lines


def test_a_good_file_never_reaches_the_slow_loader(monkeypatch) -> None:
    def slow(text: str) -> None:
        raise AssertionError("the pure-Python loader was used for a good file")

    monkeypatch.setattr(yaml_source, "_parse_carefully", slow)
    assert parse_yaml(SHIPPED_FILE.read_text(encoding="utf-8")).data["article"]["id"]


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [1]\nb: *x\n",  # an alias of a sequence
        "a: &x text\nb: *x\n",  # an alias of a scalar: the same node object, met twice
        "a: 1\na: 2\n",
        "? [a]\n: 1\n",
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n",
        "- " * (MAX_DEPTH + 1) + "x\n",
        "a: [\n",
    ],
)
def test_libyaml_passes_every_refusal_to_the_careful_loader(text: str) -> None:
    with pytest.raises(yaml_source._RefusedError):
        yaml_source._parse_with_libyaml(text)
    refusal(text)

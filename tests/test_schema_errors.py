"""Schema complaints become the field concerned and a sentence saying what to fix."""

import copy
import datetime
import random
from pathlib import Path

import pytest
import yaml

from bot.knowledge.schema_errors import _Compiler, _conforms, _validator, schema_problems
from tests.helpers import KNOWLEDGE_FILE_NAME, MORE_ARTICLES, SHIPPED_KNOWLEDGE


def test_the_shipped_file_has_no_problems() -> None:
    data = yaml.safe_load((SHIPPED_KNOWLEDGE / KNOWLEDGE_FILE_NAME).read_text(encoding="utf-8"))
    assert schema_problems(data) == []


def test_every_problem_is_reported_with_its_field() -> None:
    problems = dict(schema_problems({"article": {"id": "Bad Id"}, "entries": [], "extra": 1}))
    assert problems[("statements",)] == "is missing; add 'statements'"
    assert problems[("extra",)].startswith("is not a known field (allowed: article, entries")
    assert problems[("article", "id")].startswith("must be a lowercase id")
    assert problems[("entries",)] == "must not be empty"


def test_text_given_as_a_date_says_to_quote_it() -> None:
    entry = {
        "id": "x",
        "kind": "figure",
        "name": "X",
        "aliases": [],
        "summary": "S.",
        "related": [],
        "sources": ["s"],
        "value": datetime.date(2025, 7, 20),
    }
    problems = dict(schema_problems({"article": {}, "entries": [entry], "statements": []}))
    assert problems[("entries", 0, "value")] == "must be text, not a date; put it in quotes"


# The compiled check answers "valid or not" as jsonschema does, so a valid file skips it.


def _mutations(data: object, rng: random.Random) -> object:
    """The document with one value somewhere replaced, removed or added to, as edits go wrong."""
    data = copy.deepcopy(data)
    node: object = data
    while True:
        children = (
            list(node.items())
            if isinstance(node, dict)
            else list(enumerate(node))
            if isinstance(node, list)
            else []
        )
        if not children or rng.random() < 0.25:
            break
        key, child = rng.choice(children)
        if not isinstance(child, dict | list) or rng.random() < 0.3:
            replacements = [
                None,
                True,
                1,
                1.5,
                "",
                " ",
                "Bad Id",
                "x" * 2001,
                "figure",
                "product",
                datetime.date(2025, 7, 20),
                [],
                {},
                ["a"],
                "NVDA--",
                "rtx-pro",
            ]
            action = rng.choice(["replace", "remove", "add"])
            if action == "replace":
                node[key] = rng.choice(replacements)  # type: ignore[index]
            elif action == "remove" and isinstance(node, dict):
                del node[key]
            elif isinstance(node, dict):
                node[rng.choice(["value", "extra", "id", "kind"])] = rng.choice(replacements)
            else:
                node.append(rng.choice(replacements))  # type: ignore[attr-defined]
            return data
        node = child
    return data


KNOWLEDGE_SHAPES = [
    SHIPPED_KNOWLEDGE / KNOWLEDGE_FILE_NAME,  # entries that define themselves
    *sorted((MORE_ARTICLES / "knowledge").glob("*.yaml")),  # contributions, identities files
]


@pytest.mark.parametrize("path", KNOWLEDGE_SHAPES, ids=lambda path: path.name)
def test_the_compiled_check_agrees_with_jsonschema(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    validator = _validator()
    rng = random.Random(4)
    rejected = 0
    for _ in range(250):
        mutated = _mutations(data, rng)
        valid = not any(True for _ in validator.iter_errors(mutated))
        assert _conforms()(mutated) == valid, mutated
        rejected += not valid
    assert 20 < rejected < 245  # both kinds of document were tried


def test_a_schema_keyword_without_a_fast_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="no rule for 'minimum'"):
        _Compiler({}).compile({"type": "integer", "minimum": 1})

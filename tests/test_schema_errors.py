"""Schema complaints become the field concerned and a sentence saying what to fix."""

import datetime

import yaml

from bot.schema_errors import schema_problems
from tests.helpers import KNOWLEDGE_FILE_NAME, SHIPPED_KNOWLEDGE


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

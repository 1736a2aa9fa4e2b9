"""`briefbot check` as people and CI systems read it: text, JSON, or GitHub annotations.

Every problem carries its file, line, field, message and severity. Errors fail the check;
sentences of the article that no entry cites are notices, which CI shows on the article's
lines without failing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

from bot.knowledge.fingerprint import article_file, fingerprint
from bot.knowledge.loader import KnowledgeError, KnowledgeLoadError, load_knowledge, shown_path
from bot.knowledge.model import KnowledgeBase
from bot.knowledge.provenance import Coverage, coverage

FORMATS = ("text", "json", "github")


@dataclass(frozen=True)
class Problem:
    """One finding of the check, located for an editor or a CI annotation."""

    file: str
    line: int | None
    field: str
    message: str
    severity: str  # "error" fails the check; "notice" is for the curator's eye


def run_check(directory: Path, out: TextIO, form: str = "text") -> bool:
    """Validate a knowledge directory, write the report in `form`; True when it has no error."""
    try:
        knowledge = load_knowledge(directory)
    except KnowledgeLoadError as error:
        problems = [_error(e) for e in error.errors]
        if form == "text":
            for problem in error.errors:
                out.write(f"{problem}\n")
            out.write(f"\n{len(error.errors)} error(s) in {directory}.\n")
        else:
            _write(form, out, directory, None, problems, ())
        return False
    reports = coverage(knowledge)
    if form == "text":
        _text(out, directory, knowledge, reports)
    else:
        _write(form, out, directory, knowledge, list(_notices(knowledge, reports)), reports)
    return True


def _error(error: KnowledgeError) -> Problem:
    return Problem(error.file, error.line, error.field, error.message, "error")


def _notices(knowledge: KnowledgeBase, reports: Iterable[Coverage]) -> Iterable[Problem]:
    for report in reports:
        path = article_file(knowledge, report.article.source)
        shown = shown_path(path) if path is not None else report.article.source
        for sentence in report.uncited:
            message = f"no entry, statement or point cites this sentence: {sentence.text}"
            yield Problem(shown, sentence.line, "", message, "notice")


def _text(out: TextIO, directory: Path, knowledge: KnowledgeBase, reports: list[Coverage]) -> None:
    counts: dict[str, int] = {}
    for entry in knowledge.entries.values():
        counts[entry.kind.value] = counts.get(entry.kind.value, 0) + 1
    direct = sum(statement.direct for statement in knowledge.statements)
    out.write(f"{directory}: no errors.\n")
    out.write(
        f"{len(knowledge.entries)} entries ({', '.join(f'{n} {k}' for k, n in counts.items())}); "
        f"{len(knowledge.statements)} statements ({direct} direct, "
        f"{len(knowledge.statements) - direct} reported).\n"
    )
    out.write(f"Knowledge version {fingerprint(knowledge)}, read {_moment(knowledge)}.\n")
    for report in reports:
        out.write(
            f"Provenance of {report.article.source}: {len(report.cited)} of {report.total} content "
            f"sentences cited ({report.percent:.1f}%).\n"
        )
        for sentence in report.uncited:
            out.write(f"  not cited, line {sentence.line}: {sentence.text}\n")


def _write(
    form: str,
    out: TextIO,
    directory: Path,
    knowledge: KnowledgeBase | None,
    problems: list[Problem],
    reports: Iterable[Coverage],
) -> None:
    errors = sum(p.severity == "error" for p in problems)
    if form == "github":
        for problem in problems:
            out.write(_annotation(problem) + "\n")
        verdict = f"{errors} error(s)" if errors else "no errors"
        version = f"; knowledge version {fingerprint(knowledge)}" if knowledge else ""
        out.write(f"briefbot check {directory}: {verdict}{version}\n")
        return
    document = {
        "directory": str(directory),
        "ok": errors == 0,
        "version": fingerprint(knowledge) if knowledge else None,
        "loaded_at": knowledge.loaded_at.isoformat() if knowledge else None,
        "entries": len(knowledge.entries) if knowledge else None,
        "statements": len(knowledge.statements) if knowledge else None,
        "problems": [asdict(p) for p in problems],
        "coverage": [
            {
                "article": r.article.id,
                "source": r.article.source,
                "cited": len(r.cited),
                "total": r.total,
                "percent": round(r.percent, 1),
            }
            for r in reports
        ],
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command: shown on the file's line in the pull request."""
    properties = [f"file={_property(problem.file)}"]
    if problem.line:
        properties.append(f"line={problem.line}")
    title = f"briefbot check: {problem.field}" if problem.field else "briefbot check"
    properties.append(f"title={_property(title)}")
    return f"::{problem.severity} {','.join(properties)}::{_data(problem.message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _moment(knowledge: KnowledgeBase) -> str:
    return knowledge.loaded_at.strftime("%Y-%m-%d %H:%M:%S UTC")

"""`briefbot draft ARTICLE.txt`: write a draft knowledge file and say how it was made."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TextIO

from bot.knowledge.drafting import Draft, DraftError, draft, read_article, to_yaml
from bot.knowledge.loader import KnowledgeLoadError, load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.settings import Settings

EXIT_OK, EXIT_USAGE = 0, 2


def draft_command(args: argparse.Namespace, settings: Settings, out: TextIO, err: TextIO) -> int:
    """Draft from `args.article`; 2 with one sentence when it cannot."""
    article = Path(args.article).expanduser()
    target = Path(args.out).expanduser() if args.out else None
    if target is not None and target.exists() and not args.force:
        err.write(f"briefbot: {target} already exists; pass --force to overwrite it.\n")
        return EXIT_USAGE
    known = _known(settings.knowledge_dir, err)
    folder = target.parent if target is not None else settings.knowledge_dir
    source = Path(os.path.relpath(article.resolve(), folder.resolve())).as_posix()
    try:
        result = draft(read_article(article), source, known)
    except DraftError as error:
        err.write(f"briefbot: {error}\n")
        return EXIT_USAGE
    text = to_yaml(result)
    if target is None:
        out.write(text)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    _summary(result, target, err)
    return EXIT_OK


def _known(directory: Path, err: TextIO) -> KnowledgeBase | None:
    if not directory.is_dir() or not any(directory.glob("*.y*ml")):
        return None
    try:
        return load_knowledge(directory)
    except KnowledgeLoadError as error:
        err.write(
            f"briefbot: the knowledge in {directory} does not load ({len(error.errors)} "
            "error(s)), so the draft links to nothing already known.\n"
        )
        return None


def _summary(result: Draft, target: Path | None, err: TextIO) -> None:
    where = str(target) if target is not None else "standard output"
    new = result.new
    err.write(
        f"Drafted {len(new)} entries and {len(result.statements)} statements to {where}; "
        f"{len(result.linked)} entities are already known and linked, not copied.\n"
    )
    for candidate in result.linked:
        known_id, file = candidate.known or ("", "")
        err.write(f"  already known as {known_id} in {file}: {candidate.name}\n")
    if target is not None:
        try:
            load_knowledge(target.parent)
        except KnowledgeLoadError as error:
            err.write(f"briefbot check finds {len(error.errors)} error(s) in {target.parent}:\n")
            for problem in error.errors[:10]:
                err.write(f"  {problem}\n")
        else:
            err.write(f"briefbot check passes on {target.parent} with the draft in it.\n")

"""Loading a knowledge directory: read every file, validate all of it, build a KnowledgeBase.

Validation collects every error it can find, each naming the file, line and field, so an admin
fixes a broken edit in one pass. Nothing half-valid is ever returned.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.article import (
    ArticleFormatError,
    ArticleText,
    normalise_excerpt,
    parse_article,
)
from bot.gc_pause import gc_paused
from bot.knowledge import Article, Entry, Excerpt, Kind, KnowledgeBase, Point, Statement
from bot.matching import normalise_name
from bot.schema_errors import schema_problems
from bot.yaml_source import Path_, YamlDocument, YamlFileError, parse_yaml

MAX_FILE_BYTES = 1_000_000  # a real knowledge file is tens of kilobytes
MAX_ARTICLE_BYTES = 1_000_000
# Every file is one article, and a bot may brief on thousands. The caps that protect the
# process are on what a load costs, bytes and entries, not on how it is split into files;
# the file count only bounds the directory listing.
MAX_FILES = 20_000
MAX_TOTAL_BYTES = 500_000_000  # all knowledge files together, checked before any is read
MAX_ENTRIES = 250_000  # about 1 GB of memory once indexed
KNOWLEDGE_SUFFIXES = (".yaml", ".yml")
QUOTE_MARKS = "\"'“”‘’"


@dataclass(frozen=True)
class KnowledgeError:
    """One thing wrong with the knowledge, located as precisely as possible."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class KnowledgeLoadError(Exception):
    """The knowledge directory failed validation; `errors` holds every problem found."""

    def __init__(self, errors: list[KnowledgeError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


def load_knowledge(directory: Path) -> KnowledgeBase:
    """Read, validate and index a knowledge directory, or raise KnowledgeLoadError."""
    with gc_paused():
        return _load(Path(directory))


def _load(directory: Path) -> KnowledgeBase:
    errors: list[KnowledgeError] = []
    files = _knowledge_files(directory, errors)
    builder = _Builder(directory, errors)
    for path in files:
        builder.add_file(path)
    builder.check_references()
    if len(builder.entries) > MAX_ENTRIES:
        errors.append(
            KnowledgeError(
                str(directory),
                None,
                "",
                f"holds {len(builder.entries):,} entries; the limit is {MAX_ENTRIES:,}",
            )
        )
    if errors:
        raise KnowledgeLoadError(errors)
    return KnowledgeBase(
        articles=tuple(builder.articles),
        entries=dict(builder.entries),
        statements=tuple(builder.statements),
        directory=directory,
        loaded_at=datetime.now(UTC),
    )


def _knowledge_files(directory: Path, errors: list[KnowledgeError]) -> list[Path]:
    shown = str(directory)
    try:
        if not directory.is_dir():
            errors.append(
                KnowledgeError(
                    shown,
                    None,
                    "",
                    "is not a directory; point BRIEFBOT_KNOWLEDGE or --knowledge at the "
                    "knowledge folder",
                )
            )
            return []
        files = sorted(p for p in directory.iterdir() if p.suffix in KNOWLEDGE_SUFFIXES)
    except OSError as error:
        errors.append(
            KnowledgeError(shown, None, "", f"cannot be read ({error.strerror or error})")
        )
        return []
    if not files:
        errors.append(KnowledgeError(shown, None, "", "holds no .yaml knowledge file"))
    elif len(files) > MAX_FILES:
        errors.append(
            KnowledgeError(
                shown,
                None,
                "",
                f"holds {len(files)} knowledge files; the limit is {MAX_FILES}",
            )
        )
        return []
    total = _total_bytes(files)
    if total > MAX_TOTAL_BYTES:
        errors.append(
            KnowledgeError(
                shown,
                None,
                "",
                f"holds {total:,} bytes of knowledge files; the limit is {MAX_TOTAL_BYTES:,}",
            )
        )
        return []
    return files


def _total_bytes(files: list[Path]) -> int:
    total = 0
    for path in files:
        with contextlib.suppress(OSError):  # reading it reports the problem, with its name
            total += path.stat().st_size
    return total


def read_text_capped(path: Path, limit: int) -> str:
    """Read a UTF-8 text file of at most `limit` bytes; raise YamlFileError otherwise."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise YamlFileError(f"cannot be read ({error.strerror or error})") from None
    if len(data) > limit:
        raise YamlFileError(f"is larger than {limit:,} bytes; no knowledge file needs to be")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise YamlFileError(
            f"is not UTF-8 text (byte {error.start}); save it as UTF-8", line
        ) from None


class _Builder:
    """Accumulates articles, entries and statements across files, recording errors as it goes."""

    def __init__(self, directory: Path, errors: list[KnowledgeError]) -> None:
        self.directory = directory
        self.errors = errors
        self.articles: list[Article] = []
        self.entries: dict[str, Entry] = {}
        self.statements: list[Statement] = []
        # Where each entry and statement was declared, for reference errors found later.
        self.places: dict[str, tuple[str, YamlDocument, Path_]] = {}
        self.references: list[tuple[str, YamlDocument, Path_, str, set[Kind] | None]] = []
        self.aliases: dict[tuple[Kind, str], str] = {}
        self.article_ids: set[str] = set()
        self.article_bytes = 0

    def error(self, file: str, doc: YamlDocument | None, path: Path_, message: str) -> None:
        line = doc.line_of(path) if doc else None
        field = doc.field_name(path) if doc else ""
        self.errors.append(KnowledgeError(file, line, field, message))

    def add_file(self, path: Path) -> None:
        shown = _shown(path)
        try:
            doc = parse_yaml(read_text_capped(path, MAX_FILE_BYTES))
        except YamlFileError as error:
            self.errors.append(KnowledgeError(shown, error.line, "", error.message))
            return
        problems = schema_problems(doc.data)
        for field_path, message in problems:
            self.error(shown, doc, field_path, message)
        if problems:
            return
        article = self._article(path, shown, doc)
        if article is None:
            return
        self.articles.append(article)
        self.article_ids.add(article.id)
        for index, raw in enumerate(doc.data["entries"]):
            self._entry(article, shown, doc, ("entries", index), raw)
        for index, raw in enumerate(doc.data["statements"]):
            self._statement(article, shown, doc, ("statements", index), raw)

    def _article(self, path: Path, shown: str, doc: YamlDocument) -> Article | None:
        raw = doc.data["article"]
        if raw["id"] in self.article_ids:
            self.error(
                shown,
                doc,
                ("article", "id"),
                f"another file already has the article id '{raw['id']}'",
            )
            return None
        text = self._article_text(path, shown, doc, raw)
        if text is None:
            return None
        if normalise_excerpt(raw["title"], text.debris) != text.paragraphs[0].normalised:
            self.error(
                shown,
                doc,
                ("article", "title"),
                "does not match the first line of the article; copy the headline exactly",
            )
        article_id = raw["id"]

        def points(key: str) -> tuple[Point, ...]:
            return tuple(
                Point(
                    point["text"],
                    self._excerpts(
                        article_id,
                        text,
                        shown,
                        doc,
                        ("article", key, i, "sources"),
                        point["sources"],
                    ),
                )
                for i, point in enumerate(raw.get(key, ()))
            )

        return Article(
            article_id,
            text.title,
            _cited_as(path.parent / raw["source"], self.directory),
            text,
            points("context"),
            points("briefing"),
            path,
        )

    def _article_text(
        self, path: Path, shown: str, doc: YamlDocument, raw: dict[str, Any]
    ) -> ArticleText | None:
        source_path = path.parent / raw["source"]
        try:
            body = read_text_capped(source_path, MAX_ARTICLE_BYTES)
        except YamlFileError as error:
            self.error(
                shown,
                doc,
                ("article", "source"),
                f"the article file {_shown(source_path)} {error.message}",
            )
            return None
        self.article_bytes += len(body)
        if self.article_bytes > MAX_TOTAL_BYTES:
            message = f"the articles add up to more than {MAX_TOTAL_BYTES:,} bytes"
            self.error(shown, doc, ("article", "source"), message)
            return None
        try:
            text = parse_article(body, raw["body_ends_before"], tuple(raw.get("debris", ())))
        except ArticleFormatError as error:
            field = "body_ends_before" if "starts with" in str(error) else "debris"
            self.error(shown, doc, ("article", field), f"{error}")
            return None
        if not text.paragraphs:
            self.error(
                shown,
                doc,
                ("article", "source"),
                "the article has no text before body_ends_before",
            )
            return None
        return text

    def _excerpts(
        self,
        article_id: str,
        text: ArticleText,
        shown: str,
        doc: YamlDocument,
        path: Path_,
        raw: list[str],
    ) -> tuple[Excerpt, ...]:
        found = []
        for index, excerpt in enumerate(raw):
            location = text.locate(excerpt)
            if location is None:
                self.error(
                    shown,
                    doc,
                    (*path, index),
                    f"{_short(excerpt)} is not in the article; copy the article's words exactly",
                )
                continue
            found.append(Excerpt(article_id, text.display(location), location))
        return tuple(found)

    def _declare(self, item_id: str, shown: str, doc: YamlDocument, path: Path_) -> bool:
        if item_id in self.places:
            other_file, other_doc, other_path = self.places[item_id]
            other_line = other_doc.line_of(other_path)
            self.error(
                shown,
                doc,
                (*path, "id"),
                f"the id '{item_id}' is already used at {other_file}:{other_line}; "
                "ids must be unique",
            )
            return False
        self.places[item_id] = (shown, doc, path)
        return True

    def _entry(
        self,
        article: Article,
        shown: str,
        doc: YamlDocument,
        path: Path_,
        raw: dict[str, Any],
    ) -> None:
        if not self._declare(raw["id"], shown, doc, path):
            return
        kind = Kind(raw["kind"])
        aliases = tuple(raw["aliases"])
        self._check_names(kind, raw["id"], (raw["name"], *aliases), shown, doc, path)
        for index, related in enumerate(raw["related"]):
            self.references.append((shown, doc, (*path, "related", index), related, None))
        sources = self._excerpts(
            article.id, article.text, shown, doc, (*path, "sources"), raw["sources"]
        )
        value = raw.get("value")
        if value and sources and not any(_says(excerpt.text, value) for excerpt in sources):
            message = (
                f"{value!r} is not in this entry's sources; write the figure as the article "
                "gives it, and cite the excerpt that gives it"
            )
            self.error(shown, doc, (*path, "value"), message)
        self.entries[raw["id"]] = Entry(
            raw["id"],
            kind,
            raw["name"],
            aliases,
            raw["summary"],
            tuple(raw["related"]),
            sources,
            article.id,
            raw.get("value"),
        )

    def _check_names(
        self,
        kind: Kind,
        entry_id: str,
        names: tuple[str, ...],
        shown: str,
        doc: YamlDocument,
        path: Path_,
    ) -> None:
        seen_here: set[str] = set()
        for index, name in enumerate(names):
            key = normalise_name(name)
            field_path = (*path, "name") if index == 0 else (*path, "aliases", index - 1)
            if not key:
                self.error(shown, doc, field_path, "has no letters or digits to match on")
                continue
            if key in seen_here:
                self.error(
                    shown,
                    doc,
                    field_path,
                    f"'{name}' repeats another name of this entry; remove it",
                )
                continue
            seen_here.add(key)
            owner = self.aliases.setdefault((kind, key), entry_id)
            if owner != entry_id:
                self.error(
                    shown,
                    doc,
                    field_path,
                    f"'{name}' is also a name of the {kind.value} '{owner}'; "
                    f"give each {kind.value} its own names",
                )

    def _statement(
        self,
        article: Article,
        shown: str,
        doc: YamlDocument,
        path: Path_,
        raw: dict[str, Any],
    ) -> None:
        if not self._declare(raw["id"], shown, doc, path):
            return
        self.references.append((shown, doc, (*path, "speaker"), raw["speaker"], {Kind.PERSON}))
        for index, about in enumerate(raw["about"]):
            self.references.append((shown, doc, (*path, "about", index), about, None))
        if raw["text"][:1] in QUOTE_MARKS or raw["text"][-1:] in QUOTE_MARKS:
            message = "starts or ends with a quotation mark; leave the marks out"
            self.error(shown, doc, (*path, "text"), message)
            return
        location = article.text.locate(raw["text"])
        if location is None:
            self.error(
                shown,
                doc,
                (*path, "text"),
                f"{_short(raw['text'])} is not in the article; "
                "a statement must be the article's exact words",
            )
            return
        if raw["direct"] and not article.text.is_quoted(location):
            self.error(
                shown,
                doc,
                (*path, "direct"),
                "is true, but the article does not print this text inside quotation marks; "
                "set it to false (reported speech)",
            )
        excerpt = Excerpt(article.id, article.text.display(location), location)
        self.statements.append(
            Statement(raw["id"], raw["speaker"], excerpt, raw["direct"], tuple(raw["about"]))
        )

    def check_references(self) -> None:
        for shown, doc, path, target, kinds in self.references:
            entry = self.entries.get(target)
            if entry is None:
                what = "statement" if target in self.places else "entry"
                self.error(
                    shown,
                    doc,
                    path,
                    f"refers to '{target}', but no {what} has that id; fix the id or add the entry"
                    if what == "entry"
                    else f"refers to the statement '{target}'; refer to an entry id instead",
                )
            elif kinds and entry.kind not in kinds:
                self.error(
                    shown,
                    doc,
                    path,
                    f"refers to '{target}', which is a {entry.kind.value}; "
                    "a speaker must be a person",
                )


def _says(excerpt: str, value: str) -> bool:
    """Whether an excerpt gives a figure's value ("more than one hour" in "more than one-hour")."""

    def plain(text: str) -> str:
        return " ".join(normalise_excerpt(text).casefold().replace("-", " ").split())

    return plain(value) in plain(excerpt)


def _cited_as(article: Path, directory: Path) -> str:
    """How replies name the article file: beside the knowledge folder, `seeds/<file>`."""
    try:
        return article.resolve().relative_to(directory.resolve().parent).as_posix()
    except ValueError:
        return article.name  # never a server path in a public reply


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _shown(path: Path) -> str:
    """A path as an admin recognises it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative

"""Loading a knowledge directory: read every file, validate all of it, build a KnowledgeBase.

Validation collects every error it can find, each naming the file, line and field, so an admin
fixes a broken edit in one pass. Nothing half-valid is ever returned.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot.engine.matching import normalise_name
from bot.knowledge.article import (
    ArticleFormatError,
    ArticleText,
    normalise_excerpt,
    parse_article,
)
from bot.knowledge.gc_pause import gc_paused
from bot.knowledge.model import (
    Article,
    Coverage,
    Entry,
    Excerpt,
    Kind,
    KnowledgeBase,
    Point,
    Statement,
)
from bot.knowledge.schema_errors import schema_problems
from bot.knowledge.yaml_source import Path_, YamlDocument, YamlFileError, parse_yaml

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

    def shown_from(self, directory: Path) -> str:
        """The error as a chat reply may show it: the file relative to the knowledge directory
        (`x.yaml:5: ...`) and no path of the host anywhere. Logs keep `str(error)`."""
        where = public_path(self.file, directory)
        where = f"{where}:{self.line}" if self.line else where
        message = without_host_paths(self.message, directory)
        return f"{where}: {self.field}: {message}" if self.field else f"{where}: {message}"


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
    builder.resolve_entries()
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


Place = tuple[str, YamlDocument, Path_]  # a file as shown, its document, a field in it


@dataclass
class _Identity:
    """An entry's identity as one file defines it: the part no other file may define again."""

    id: str
    kind: Kind
    name: str
    aliases: tuple[str, ...]
    value: str | None
    place: Place
    parts: list[tuple[Coverage, Place]] = field(default_factory=list)


class _Builder:
    """Accumulates articles, entries and statements across files, recording errors as it goes.

    An entry's identity (kind, name, aliases) is defined once, by an article's entry or by a
    shared identities file; every article's entry with that id contributes its own coverage.
    Contributions may come before their definition in file order, so entries are assembled
    once every file is read (`resolve_entries`).
    """

    def __init__(self, directory: Path, errors: list[KnowledgeError]) -> None:
        self.directory = directory
        self.errors = errors
        self.articles: list[Article] = []
        self.entries: dict[str, Entry] = {}
        self.statements: list[Statement] = []
        # Where each entry and statement was declared, for reference errors found later.
        self.places: dict[str, Place] = {}
        self.identities: dict[str, _Identity] = {}
        self.contributions: dict[str, list[tuple[Coverage, Place]]] = {}
        self.in_article: dict[tuple[str, str], Place] = {}  # (article id, entry id) -> place
        self.references: list[tuple[str, YamlDocument, Path_, str, set[Kind] | None]] = []
        self.aliases: dict[tuple[Kind, str], str] = {}
        self.article_ids: set[str] = set()
        self.article_bytes = 0

    def error(self, file: str, doc: YamlDocument | None, path: Path_, message: str) -> None:
        line = doc.line_of(path) if doc else None
        field = doc.field_name(path) if doc else ""
        self.errors.append(KnowledgeError(file, line, field, message))

    def add_file(self, path: Path) -> None:
        shown = shown_path(path)
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
        if "entities" in doc.data:
            for index, raw in enumerate(doc.data["entities"]):
                self._identity(shown, doc, ("entities", index), raw)
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
        read = self._article_text(path, shown, doc, raw)
        if read is None:
            return None
        text, body = read
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
            self._date(raw, body, shown, doc),
            self._outlet(raw, body, shown, doc),
            raw.get("url", ""),
        )

    def _date(self, raw: dict[str, Any], body: str, shown: str, doc: YamlDocument) -> date | None:
        """The article's `date`, which its file must state (2025-07-20, July 20, 2025, …)."""
        if "date" not in raw:
            return None
        try:
            published = date.fromisoformat(raw["date"])
        except ValueError:
            self.error(shown, doc, ("article", "date"), "is not a real date; check the numbers")
            return None
        if not any(_folded(form) in _folded(body) for form in _date_forms(published)):
            message = (
                f"{published.strftime('%B')} {published.day}, {published.year} is not stated in "
                "the article file; give a date only when the article or its page states it"
            )
            self.error(shown, doc, ("article", "date"), message)
        return published

    def _outlet(self, raw: dict[str, Any], body: str, shown: str, doc: YamlDocument) -> str:
        """The article's `outlet`, which its file must name."""
        outlet = raw.get("outlet", "")
        if outlet and _folded(outlet) not in _folded(body):
            message = (
                f"{_short(outlet)} is not named in the article file; give the outlet only as the "
                "article or its page names it"
            )
            self.error(shown, doc, ("article", "outlet"), message)
        return outlet

    def _article_text(
        self, path: Path, shown: str, doc: YamlDocument, raw: dict[str, Any]
    ) -> tuple[ArticleText, str] | None:
        source_path = path.parent / raw["source"]
        try:
            body = read_text_capped(source_path, MAX_ARTICLE_BYTES)
        except YamlFileError as error:
            self.error(
                shown,
                doc,
                ("article", "source"),
                f"the article file {shown_path(source_path)} {error.message}",
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
        return text, body

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
        entry_id = raw["id"]
        place = (shown, doc, path)
        earlier = self.in_article.get((article.id, entry_id)) or self.places.get(entry_id)
        if earlier is not None and (earlier[0] == shown or "kind" in raw):
            self._already_used(entry_id, place, earlier, defines="kind" in raw)
            return
        self.in_article[(article.id, entry_id)] = place
        for index, related in enumerate(raw["related"]):
            self.references.append((shown, doc, (*path, "related", index), related, None))
        sources = self._excerpts(
            article.id, article.text, shown, doc, (*path, "sources"), raw["sources"]
        )
        aliases = tuple(raw.get("aliases", ()))
        if "kind" in raw:
            self.places[entry_id] = place
            kind = Kind(raw["kind"])
            self._check_names(kind, entry_id, (raw["name"], *aliases), shown, doc, path)
            value = raw.get("value")
            if value and sources and not any(_says(excerpt.text, value) for excerpt in sources):
                message = (
                    f"{value!r} is not in this entry's sources; write the figure as the article "
                    "gives it, and cite the excerpt that gives it"
                )
                self.error(shown, doc, (*path, "value"), message)
            self.identities[entry_id] = _Identity(
                entry_id, kind, raw["name"], aliases, value, place
            )
            aliases = ()  # the identity's own; a contribution's are checked once it is known
        coverage = Coverage(article.id, raw["summary"], sources, tuple(raw["related"]), aliases)
        self.contributions.setdefault(entry_id, []).append((coverage, place))

    def _identity(self, shown: str, doc: YamlDocument, path: Path_, raw: dict[str, Any]) -> None:
        """An identity in a shared identities file, for articles to contribute to."""
        entry_id, place = raw["id"], (shown, doc, path)
        if entry_id in self.places:
            self._already_used(entry_id, place, self.places[entry_id], defines=True)
            return
        self.places[entry_id] = place
        kind = Kind(raw["kind"])
        aliases = tuple(raw["aliases"])
        self._check_names(kind, entry_id, (raw["name"], *aliases), shown, doc, path)
        self.identities[entry_id] = _Identity(entry_id, kind, raw["name"], aliases, None, place)

    def _already_used(self, item_id: str, place: Place, earlier: Place, defines: bool) -> None:
        other_file, other_doc, other_path = earlier
        where = f"{other_file}:{other_doc.line_of(other_path)}"
        if defines and other_file != place[0]:
            message = (
                f"the id '{item_id}' is already used at {where}, which defines it; to add what "
                "this article says about it, keep only id, summary, related, sources and any new "
                "aliases here, or give this entry an id of its own"
            )
        else:
            message = f"the id '{item_id}' is already used at {where}; ids must be unique"
        self.error(place[0], place[1], (*place[2], "id"), message)

    def resolve_entries(self) -> None:
        """Assemble each entry from its identity and every article's coverage of it.

        The coverage is ordered most relevant first: the newest dated article, then the
        undated ones, each in file order.
        """
        order = {article.id: position for position, article in enumerate(self.articles)}
        dates = {article.id: article.published for article in self.articles}

        def relevance(part: tuple[Coverage, Place]) -> tuple[bool, int, int]:
            article_id = part[0].article_id
            published = dates[article_id]
            return published is None, -published.toordinal() if published else 0, order[article_id]

        for entry_id, parts in self.contributions.items():
            identity = self.identities.get(entry_id)
            if identity is None:
                for _, place in parts:
                    self._undefined(entry_id, place)
            else:
                identity.parts = sorted(parts, key=relevance)
        for entry_id, identity in self.identities.items():
            if not identity.parts:
                shown, doc, path = identity.place
                self.error(
                    shown,
                    doc,
                    (*path, "id"),
                    f"no article says anything about '{entry_id}'; add an entry with "
                    f"id: {entry_id}, its summary and sources to an article that covers it, "
                    "or remove this identity",
                )
                continue
            names = list(identity.aliases)
            for coverage, place in identity.parts:
                if place is identity.place:
                    continue  # the entry that defines the identity; its names are checked
                if identity.kind is Kind.FIGURE:
                    self.error(
                        place[0],
                        place[1],
                        (*place[2], "id"),
                        f"'{entry_id}' is a figure, and a figure is one article's number; "
                        "give this one an id of its own, with kind, name and value",
                    )
                    continue
                for index, alias in enumerate(coverage.aliases):
                    at = (place[0], place[1], (*place[2], "aliases", index))
                    if self._new_name(identity, (identity.name, *names), alias, at):
                        names.append(alias)
            self.entries[entry_id] = Entry(
                entry_id,
                identity.kind,
                identity.name,
                tuple(names),
                tuple(coverage for coverage, _ in identity.parts),
                identity.value,
            )

    def _new_name(
        self, identity: _Identity, names: tuple[str, ...], alias: str, place: Place
    ) -> bool:
        """Whether a contributed alias is new to the entry, and no other entry's; errors if not."""
        shown, doc, path = place
        key = normalise_name(alias)
        if not key:
            self.error(shown, doc, path, "has no letters or digits to match on")
            return False
        if key in {normalise_name(name) for name in names}:
            self.error(
                shown, doc, path, f"'{alias}' is already a name of '{identity.id}'; remove it"
            )
            return False
        owner = self.aliases.setdefault((identity.kind, key), identity.id)
        if owner != identity.id:
            kind = identity.kind.value
            self.error(
                shown,
                doc,
                path,
                f"'{alias}' is also a name of the {kind} '{owner}'; give each {kind} its own names",
            )
            return False
        return True

    def _undefined(self, entry_id: str, place: Place) -> None:
        shown, doc, path = place
        if entry_id in self.places:  # a statement's id
            message = f"'{entry_id}' is a statement's id; give this entry an id of its own"
        else:
            message = (
                f"adds to the entry '{entry_id}', but no file defines it; give this entry kind, "
                "name and aliases, or define the identity in an identities file "
                f"(entities: [{{id: {entry_id}, kind: …, name: …, aliases: []}}])"
            )
        self.error(shown, doc, (*path, "id"), message)

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


def _folded(text: str) -> str:
    """Text compared loosely: case, whitespace and curly quotes folded."""
    return " ".join(normalise_excerpt(text).casefold().split())


def _date_forms(day: date) -> tuple[str, ...]:
    """The ways an article may print a date: 2025-07-20, July 20, 2025, 20 July 2025, …"""
    month, short = day.strftime("%B"), day.strftime("%b")
    return (
        day.isoformat(),
        f"{day.year}/{day.month:02d}/{day.day:02d}",
        f"{day.month:02d}/{day.day:02d}/{day.year}",
        *(f"{m} {day.day}, {day.year}" for m in (month, short, f"{short}.")),
        *(f"{day.day} {m} {day.year}" for m in (month, short)),
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


def public_path(file: str, directory: Path) -> str:
    """A file as people in a chat may see it: relative to the knowledge directory, `../x` for
    a file beside it (the articles in `../seeds/`), else only its name."""
    path = Path(file)
    absolute = (path if path.is_absolute() else Path.cwd() / path).resolve()
    root = Path(directory).resolve()
    if absolute == root:
        return f"{root.name}/"
    for base, shown in ((root, ""), (root.parent, "../")):
        try:
            return shown + absolute.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.name


_ABSOLUTE_PATH = re.compile(r"(?<![\w.~])/[^\s'\"(),:;]+")


def without_host_paths(text: str, directory: Path) -> str:
    """Text with every path of the knowledge directory made relative to it, and any other
    absolute path cut to its last part, so a chat reply never shows where the bot runs."""
    root = Path(directory).resolve()
    # Each way the loader may have written the directory or its parent, longest first.
    forms = {str(directory): "", str(root): "", shown_path(root): ""}
    forms.update({str(root.parent): "../", shown_path(root.parent): "../"})
    for form in sorted(forms, key=len, reverse=True):
        if form not in (".", "/", ""):
            text = text.replace(form.rstrip("/") + "/", forms[form])
    return _ABSOLUTE_PATH.sub(lambda found: found.group(0).rstrip("/").rsplit("/", 1)[-1], text)


def shown_path(path: Path) -> str:
    """A path as an admin recognises it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative

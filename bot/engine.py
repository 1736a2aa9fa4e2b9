"""The briefing engine: a chat line in, a structured reply out. Knows nothing of Discord.

The engine parses chat lines and dispatches commands; the answers themselves live in
`bot.answers`. It reads the serving knowledge once per command, so an answer never mixes two
knowledge bases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz, process

from bot import answers
from bot.answers import Answer, Asking
from bot.index import KnowledgeIndex
from bot.knowledge import Kind
from bot.matching import MAX_QUERY_CHARS
from bot.reply import Reply, Status, Suggestion
from bot.user_text import clean, echo

COMMAND_SIMILAR = 75.0
COMPLETE_SCORE = 50.0  # autocomplete may offer looser matches: the user picks, nothing is answered
_NEEDS = {"NAME": "a name", "ABOUT": "a subject or a speaker", "WORDS": "words to look for"}


class KnowledgeSource(Protocol):
    """Anything that holds the serving knowledge (the store, or a fixed index in tests)."""

    @property
    def current(self) -> KnowledgeIndex: ...


@dataclass(frozen=True)
class Command:
    """A chat command: its names, how to call it, and what answers it."""

    name: str
    summary: str
    example: str
    answer: Answer
    argument: str = ""  # placeholder shown in help; empty when the command takes none
    required: bool = False
    aliases: tuple[str, ...] = ()
    kind: Kind | None = None  # the entry kind a name argument is matched against

    def usage(self, prefix: str) -> str:
        """How to call the command, e.g. `!product NAME`."""
        if not self.argument:
            return f"{prefix}{self.name}"
        placeholder = self.argument if self.required else f"[{self.argument}]"
        return f"{prefix}{self.name} {placeholder}"


@dataclass(frozen=True)
class ChatLine:
    """A chat line split into command name and argument."""

    command: str
    argument: str


class Engine:
    """Turns chat lines into replies from the serving knowledge."""

    def __init__(self, source: KnowledgeSource, prefix: str = "!") -> None:
        self.source = source
        self.prefix = prefix
        self.commands = _BY_NAME

    def parse(self, line: str, require_prefix: bool = True) -> ChatLine | None:
        """Split a chat line; None when it is not addressed to the bot."""
        text = clean(line)  # a zero-width space must not glue a command to its argument
        if text.startswith(self.prefix):
            text = text[len(self.prefix) :].lstrip()
        elif require_prefix:
            return None
        words = text.split(maxsplit=1)
        if not words:
            return None
        argument = " ".join(words[1].split()) if len(words) > 1 else ""
        return ChatLine(words[0].casefold(), argument)

    def handle(self, line: str, require_prefix: bool = True) -> Reply | None:
        """Answer one chat line; None when the line is not a command for the bot."""
        parsed = self.parse(line, require_prefix)
        return None if parsed is None else self.run(parsed.command, parsed.argument)

    def run(self, name: str, argument: str = "") -> Reply:
        """Answer a command by name, as slash commands call it."""
        command = self.commands.get(name.casefold())
        if command is None:
            return unknown_command(name, self.prefix)
        argument = clean(argument)
        if command.required and not argument:
            return usage(command, self.prefix)
        return command.answer(Asking(self.source.current, argument, self.prefix))

    def complete(self, name: str, typed: str, limit: int = 25) -> list[str]:
        """Names a user may mean while typing an argument of a command, best first."""
        command = self.commands.get(name.casefold())
        index = self.source.current
        keys = index.keys_of(command.kind) if command and command.kind else None
        if not typed.strip():
            every = list(index.knowledge.entries) if keys is None else keys
            return [index.entry(key).name for key in every][:limit]
        typed = clean(typed)
        ranked = [s.key for s in index.names.rank(typed, keys) if s.score >= COMPLETE_SCORE]
        found = dict.fromkeys(index.names.starting_with(typed, keys) + ranked)
        return [index.entry(key).name for key in found][:limit]


def unknown_command(name: str, prefix: str) -> Reply:
    """There is no such command: suggest the closest real one, or help."""
    closest = _closest_command(name)
    body = f"There is no {echo(prefix + name)} command."
    body += (
        f" Did you mean `{prefix}{closest}`?"
        if closest
        else f" `{prefix}help` lists what I can do."
    )
    suggestions = (Suggestion(closest),) if closest else ()
    return Reply(Status.UNKNOWN_COMMAND, "Unknown command", body, suggestions=suggestions)


def usage(command: Command, prefix: str) -> Reply:
    """The command was called without what it needs."""
    return Reply(
        Status.USAGE,
        f"{prefix}{command.name} needs {_NEEDS[command.argument]}",
        f"Use `{command.usage(prefix)}`, for example `{prefix}{command.example}`.",
    )


def _closest_command(name: str) -> str | None:
    found = process.extractOne(
        name.casefold()[:MAX_QUERY_CHARS],
        list(_BY_NAME),
        scorer=fuzz.ratio,
        score_cutoff=COMMAND_SIMILAR,
    )
    return _BY_NAME[found[0]].name if found else None


def help_answer(ask: Asking) -> Reply:
    """Every command, or one in detail."""
    prefix = ask.prefix
    if not ask.argument:
        lines = [f"`{c.usage(prefix)}`: {c.summary}" for c in COMMANDS]
        tail = f"Names can be misspelt or partial. `{prefix}help COMMAND` tells more."
        return Reply(Status.ANSWERED, "What I can do", "\n".join(lines) + f"\n\n{tail}")
    name = ask.argument.removeprefix(prefix).casefold()
    command = _BY_NAME.get(name)
    if command is None:
        return unknown_command(name, prefix)
    also = f"\nAlso: {', '.join(prefix + a for a in command.aliases)}" if command.aliases else ""
    return Reply(
        Status.ANSWERED,
        f"{prefix}{command.name}",
        f"{command.summary}\nUsage: `{command.usage(prefix)}`\n"
        f"Example: `{prefix}{command.example}`{also}",
    )


def _lookup_command(name: str, kind: Kind, summary: str, example: str) -> Command:
    required = kind is not Kind.FIGURE  # `!figure` alone lists every figure
    return Command(name, summary, example, answers.lookup(kind), "NAME", required, kind=kind)


COMMANDS: tuple[Command, ...] = (
    Command(
        "brief",
        "The article's key points, most important first.",
        "brief",
        answers.brief,
        aliases=("summary",),
    ),
    _lookup_command(
        "product", Kind.PRODUCT, "A product or architecture the article covers.", "product RTX Pro"
    ),
    _lookup_command(
        "company",
        Kind.ORGANISATION,
        "A company or organisation the article covers.",
        "company Huawei",
    ),
    _lookup_command("who", Kind.PERSON, "A person the article covers.", "who Jensen Huang"),
    _lookup_command("topic", Kind.TOPIC, "A topic the article discusses.", "topic export controls"),
    Command(
        "quote",
        "What the article attributes to someone, about a subject or by a speaker.",
        "quote huawei",
        answers.quote,
        "ABOUT",
        True,
    ),
    _lookup_command(
        "figure",
        Kind.FIGURE,
        "The key numbers the article gives, or one of them.",
        "figure AI researchers",
    ),
    Command(
        "search",
        "Search the entries and the article's text.",
        "search inference efficiency",
        answers.search,
        "WORDS",
        True,
    ),
    Command(
        "list",
        "Everything the bot knows, or one kind: "
        "products, companies, people, topics, figures, quotes.",
        "list products",
        answers.listing,
        "KIND",
    ),
    Command(
        "source",
        "The article, and the exact excerpts behind an entry.",
        "source H20",
        answers.source,
        "NAME",
    ),
    Command("help", "The commands, or more about one.", "help quote", help_answer, "COMMAND"),
)
_BY_NAME = {name: command for command in COMMANDS for name in (command.name, *command.aliases)}


def summary_of(name: str) -> str:
    """What a command does, in one line (the slash command's description too)."""
    return _BY_NAME[name].summary

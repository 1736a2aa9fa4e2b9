"""The briefing engine: a chat line in, a structured reply out. Knows nothing of Discord.

The engine parses chat lines and dispatches commands; the answers themselves live in
`bot.engine.answers`. It reads the serving knowledge once per command, so an answer never mixes two
knowledge bases.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from rapidfuzz import fuzz, process

from bot.engine import answers, questions
from bot.engine.answers import Answer, Asking
from bot.engine.index import KnowledgeIndex
from bot.engine.matching import MAX_QUERY_CHARS
from bot.engine.reply import Reply, Section, Segment, Status, Suggestion, listed, notice, point
from bot.engine.user_text import MAX_ECHO_CHARS, clean, echo
from bot.knowledge.model import Article, Kind

COMMAND_SIMILAR = 75.0
COMPLETE_SCORE = 50.0  # autocomplete may offer looser matches: the user picks, nothing is answered


class KnowledgeSource(Protocol):
    """Anything that holds the serving knowledge (the store, or a fixed index in tests)."""

    @property
    def current(self) -> KnowledgeIndex: ...


@dataclass(frozen=True)
class Argument:
    """What a command takes after its name, and how each front end asks for it."""

    placeholder: str  # in usage: `!product NAME`
    needs: str  # in a usage reply: "!product needs a name"
    slot: str  # the slash command's option name
    hint: str  # the slash command's description of that option
    names: bool = False  # entry names complete it (of the command's kind, or of any kind)
    choices: tuple[str, ...] = ()  # the only values it takes, offered as fixed choices
    articles: bool = False  # article ids and titles complete it


@dataclass(frozen=True)
class Command:
    """A chat command: its names, how to call it, and what answers it."""

    name: str
    summary: str
    example: str
    answer: Answer
    argument: Argument | None = None
    required: bool = False
    aliases: tuple[str, ...] = ()
    kind: Kind | None = None  # the entry kind a name argument is matched against
    # `in:ARTICLE` after the argument, or this second slash option: answer from one article.
    article: Argument | None = None

    def usage(self, prefix: str) -> str:
        """How to call the command, e.g. `!product NAME`."""
        if self.argument is None:
            return f"{prefix}{self.name}"
        placeholder = self.argument.placeholder
        return f"{prefix}{self.name} {placeholder if self.required else f'[{placeholder}]'}"


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

    def parse(
        self, line: str, require_prefix: bool = True, prefix: str | None = None
    ) -> ChatLine | None:
        """Split a chat line; None when it is not addressed to the bot. `prefix` is the one
        the line's server uses, when it is not the engine's own."""
        prefix = prefix or self.prefix
        text = clean(line)  # a zero-width space must not glue a command to its argument
        if text.startswith(prefix):
            text = text[len(prefix) :].lstrip()
        elif require_prefix:
            return None
        words = text.split(maxsplit=1)
        if not words:
            return None
        argument = " ".join(words[1].split()) if len(words) > 1 else ""
        return ChatLine(words[0].casefold(), argument)

    def handle(
        self, line: str, require_prefix: bool = True, prefix: str | None = None
    ) -> Reply | None:
        """Answer one chat line; None when the line is not a command for the bot.

        Without `require_prefix` (the console, `briefbot ask`), a line that starts with no
        command, nor with a near miss of one, is a question for `ask`.
        """
        parsed = self.parse(line, require_prefix, prefix)
        if parsed is None:
            return None
        if (
            not require_prefix
            and parsed.command not in self.commands
            and not clean(line).startswith(prefix or self.prefix)
            and _closest_command(parsed.command) is None
        ):
            return self.run("ask", line, prefix)
        return self.run(parsed.command, parsed.argument, prefix)

    def run(
        self, name: str, argument: str = "", prefix: str | None = None, article: str = ""
    ) -> Reply:
        """Answer a command by name, as slash commands call it. Sentences that name a command
        use `prefix` (a server's own) or else the engine's; `article` is the slash command's
        article option, the same as `in:ARTICLE` typed after the argument."""
        prefix = prefix or self.prefix
        command = self.commands.get(name.casefold())
        if command is None:
            return unknown_command(name, prefix, clean(argument))
        argument = clean(argument)
        asked = argument
        index = self.source.current
        chosen = None
        if command.article is not None:
            argument, typed = split_article_filter(argument)
            wanted = clean(article).removeprefix(answers.ARTICLE_FILTER) or typed
            if wanted:
                chosen, candidates = answers.find_article(index.knowledge, wanted)
                if chosen is None:
                    return no_such_article(wanted, candidates)
                if not clean(article):
                    asked = f"{argument} {answers.ARTICLE_FILTER}{chosen.id}".strip()
        if command.required and not argument:
            return usage(command, prefix)
        reply = command.answer(Asking(index, argument, prefix, chosen))
        return replace(reply, asked=Suggestion(command.name, asked))

    def complete_article(self, typed: str, limit: int = 25) -> list[str]:
        """Article ids a user may mean while typing an article, newest first."""
        return _article_completions(self.source.current, clean(typed), limit)

    def about(self, text: str) -> Reply:
        """What the knowledge says about the things a message names ("Brief me on this")."""
        return answers.mentioned(Asking(self.source.current, clean(text), self.prefix))

    def complete(self, name: str, typed: str, limit: int = 25) -> list[str]:
        """Names a user may mean while typing an argument of a command, best first."""
        command = self.commands.get(name.casefold())
        index = self.source.current
        if command and command.argument and command.argument.articles:
            return self.complete_article(typed, limit)
        keys = index.keys_of(command.kind) if command and command.kind else None
        if not typed.strip():
            every = list(index.knowledge.entries) if keys is None else keys
            return [index.entry(key).name for key in every][:limit]
        typed = clean(typed)
        ranked = [s.key for s in index.names.rank(typed, keys) if s.score >= COMPLETE_SCORE]
        found = dict.fromkeys(index.names.starting_with(typed, keys) + ranked)
        return [index.entry(key).name for key in found][:limit]


def split_article_filter(argument: str) -> tuple[str, str]:
    """`export controls in:ARTICLE` -> ("export controls", "ARTICLE"). The filter is a word of
    its own starting with `in:`, which no name has; the last one counts."""
    words = argument.split()
    found = [
        i for i, word in enumerate(words) if word.casefold().startswith(answers.ARTICLE_FILTER)
    ]
    if not found:
        return argument, ""
    wanted = words[found[-1]][len(answers.ARTICLE_FILTER) :]
    rest = [word for i, word in enumerate(words) if i not in found]
    return " ".join(rest), wanted


def no_such_article(wanted: str, candidates: list[Article]) -> Reply:
    """`in:` named no one article: which it may be, and where to see them all."""
    choices = tuple(Suggestion("brief", article.id) for article in candidates)
    maybe: tuple[Segment, ...] = ("Did you mean ", *listed(choices), "? ") if choices else ()
    return notice(
        Status.NOT_FOUND,
        "Which article?",
        "No article is clearly ",
        echo(answers.ARTICLE_FILTER + wanted),
        ". ",
        *maybe,
        Suggestion("list", "articles"),
        " shows every article with the id to type after in:.",
        suggestions=(*choices, Suggestion("list", "articles")),
    )


def _article_completions(index: KnowledgeIndex, typed: str, limit: int) -> list[str]:
    articles = answers.newest_first(index.knowledge.articles)
    wanted = typed.casefold().strip()
    if wanted:
        articles = [a for a in articles if wanted in a.id or wanted in a.title.casefold()]
    return [article.id for article in articles][:limit]


def unknown_command(name: str, prefix: str, argument: str = "") -> Reply:
    """There is no such command: suggest the closest real one with the same argument (the
    whole corrected line, `!quote huawei` for `!qoute huawei`), or help."""
    closest = _closest_command(name)
    kept = argument if len(argument) <= MAX_ECHO_CHARS else ""  # a long line: the name only
    corrected = Suggestion(closest, kept) if closest else None
    hint: tuple[Segment, ...] = (
        (" Did you mean ", corrected, "?")
        if corrected
        else (" ", Suggestion("help"), " lists what I can do.")
    )
    suggestions = (corrected,) if corrected else ()
    return notice(
        Status.UNKNOWN_COMMAND,
        "Unknown command",
        "There is no ",
        echo(prefix + name),
        " command.",
        *hint,
        suggestions=suggestions,
    )


def usage(command: Command, prefix: str) -> Reply:
    """The command was called without what it needs."""
    needs = command.argument.needs if command.argument else "nothing"
    return notice(
        Status.USAGE,
        f"{prefix}{command.name} needs {needs}",
        "Use ",
        _usage(command),
        ", for example ",
        _example(command),
        ".",
        suggestions=(_example(command),),
    )


def _usage(command: Command) -> Suggestion:
    argument = command.usage("").removeprefix(command.name).strip()
    return Suggestion(command.name, argument)


def _example(command: Command) -> Suggestion:
    return Suggestion(command.name, command.example)


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
        lines = tuple(point(_usage(c), f": {c.summary}") for c in COMMANDS)
        tail = point(
            "Names can be misspelt or partial. ", Suggestion("help", "COMMAND"), " tells more."
        )
        return Reply(Status.ANSWERED, "What I can do", (tail,), (Section("", lines),), whole=True)
    name = ask.argument.removeprefix(prefix).casefold()
    command = _BY_NAME.get(name)
    if command is None:
        return unknown_command(name, prefix)
    details = [point("Usage: ", _usage(command)), point("Example: ", _example(command))]
    if command.aliases:
        details.append(
            point("Also: ", *listed((Suggestion(a) for a in command.aliases), last=", "))
        )
    if command.article is not None and ask.index.knowledge.several:
        details.append(
            point(
                f"One article only: add {command.article.placeholder} (",
                Suggestion("list", "articles"),
                " shows them).",
            )
        )
    return Reply(
        Status.ANSWERED,
        f"{prefix}{command.name}",
        (point(command.summary),),
        (Section("", tuple(details)),),
        suggestions=(_example(command),),
    )


_NAME = Argument("NAME", "a name", "name", "", names=True)
_ARTICLE = Argument(
    f"{answers.ARTICLE_FILTER}ARTICLE",
    "an article",
    "article",
    "Only this article (its id, from /list articles)",
    articles=True,
)


def _lookup_command(kind: Kind) -> Command:
    """The command that looks up one kind of entry, all of it read from the kind table."""
    info = kind.info
    argument = replace(_NAME, hint=info.argument_hint)
    required = kind is not Kind.FIGURE  # `!figure` alone lists every figure
    return Command(
        info.command,
        info.summary,
        info.example,
        answers.lookup(kind),
        argument,
        required,
        kind=kind,
        article=_ARTICLE,
    )


COMMANDS: tuple[Command, ...] = (
    Command(
        "brief",
        "The article's key points, most important first.",
        "",
        answers.brief,
        Argument(
            "ARTICLE",
            "an article",
            "article",
            "Which article (its title or id); leave empty for the newest",
            articles=True,
        ),
        aliases=("summary",),
    ),
    *(_lookup_command(kind) for kind in Kind),
    Command(
        "quote",
        "What the article attributes to someone, about a subject or by a speaker.",
        "huawei",
        answers.quote,
        Argument(
            "ABOUT",
            "a subject or a speaker",
            "about",
            "A company, product, topic or person, such as Huawei",
            names=True,
        ),
        True,
        article=_ARTICLE,
    ),
    Command(
        "ask",
        "A question in your own words, answered from the article.",
        "what did huang say about huawei",
        questions.ask,
        Argument(
            "QUESTION",
            "a question",
            "question",
            "A question in your own words, such as: what did Huang say about Huawei?",
        ),
        True,
    ),
    Command(
        "search",
        "Search the entries and the article's text.",
        "inference efficiency",
        answers.search,
        Argument(
            "WORDS",
            "words to look for",
            "words",
            "Words to look for, such as inference efficiency",
        ),
        True,
        article=_ARTICLE,
    ),
    Command(
        "list",
        "Everything known, or one kind: "  # at most 100 characters, as Discord allows
        + ", ".join(kind.info.plural for kind in Kind)
        + ", quotes, articles.",
        "products",
        answers.listing,
        Argument(
            "KIND",
            "a kind",
            "kind",
            ", ".join(kind.info.plural for kind in Kind) + ", quotes or articles",
            choices=(*(kind.info.plural for kind in Kind), "quotes", "articles"),
        ),
        article=_ARTICLE,
    ),
    Command(
        "source",
        "The article, and the exact excerpts behind an entry.",
        "H20",
        answers.source,
        Argument(
            "NAME",
            "a name",
            "name",
            "An entry, such as H20; leave empty for the article itself",
            names=True,
        ),
        article=_ARTICLE,
    ),
    Command(
        "help",
        "The commands, or more about one.",
        "quote",
        help_answer,
        Argument("COMMAND", "a command", "command", "A command name, such as quote"),
    ),
)
_BY_NAME = {name: command for command in COMMANDS for name in (command.name, *command.aliases)}

"""The `briefbot` command line: the Discord bot, the offline console, `ask` and `check`."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from bot.console.check_report import FORMATS, run_check
from bot.console.render_json import render_json
from bot.console.render_text import render_text
from bot.engine.commands import Engine
from bot.knowledge.loader import KnowledgeLoadError
from bot.settings import Settings, SettingsError
from bot.state.store import KnowledgeStore
from bot.state.usage_log import UsageLog, note, open_for
from bot.state.usage_report import misses_reply
from bot.state.watch import start_watching

EXIT_OK, EXIT_NOT_OK, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `briefbot` command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"briefbot: {error}", file=sys.stderr)
        return EXIT_USAGE
    if getattr(args, "knowledge", None):
        settings = _with_knowledge(settings, args.knowledge)
    command = args.command or ("run" if settings.token else "console")
    if command == "check":
        return check(settings.knowledge_dir, sys.stdout, args.format)
    if command == "draft":
        from bot.console.draft_command import draft_command

        return draft_command(args, settings, sys.stdout, sys.stderr)
    if command == "misses":
        reply = misses_reply(open_for(settings), settings.prefix, args.limit)
        sys.stdout.write(render_text(reply, settings.prefix) + "\n")
        return EXIT_OK
    if command == "run":
        from bot.discordbot.runner import run_bot  # discord.py loads only when it is needed

        return run_bot(settings)
    try:
        store = KnowledgeStore.open(settings.knowledge_dir)
    except KnowledgeLoadError as error:
        print(f"briefbot: the knowledge in {settings.knowledge_dir} is broken:", file=sys.stderr)
        print(str(error), file=sys.stderr)
        return EXIT_USAGE
    engine = Engine(store, settings.prefix)
    usage = open_for(settings)
    if command == "ask":
        return ask(engine, args.lines, args.json, sys.stdout, usage)
    if args.command is None:
        print("No DISCORD_TOKEN is set, so briefbot starts the offline console.", file=sys.stderr)
    watcher = start_watching(settings, store)
    try:
        return console(engine, store, sys.stdin, sys.stdout, usage)
    finally:
        if watcher is not None:
            watcher.stop()


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's unset --knowledge must not erase one given before it.
    common.add_argument(
        "--knowledge",
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="knowledge directory (default: $BRIEFBOT_KNOWLEDGE or the shipped one)",
    )
    parser = argparse.ArgumentParser(
        prog="briefbot",
        description="Briefs people on a news article. With no command: the Discord bot when "
        "DISCORD_TOKEN is set, otherwise the offline console.",
        parents=[common],
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", parents=[common], help="run the Discord bot (needs DISCORD_TOKEN)")
    commands.add_parser("console", parents=[common], help="chat with the bot offline")
    ask_parser = commands.add_parser("ask", parents=[common], help="answer chat lines and exit")
    ask_parser.add_argument(
        "lines", nargs="+", metavar="COMMAND", help='a chat line, such as "!product RTX Pro"'
    )
    ask_parser.add_argument("--json", action="store_true", help="print one JSON array of replies")
    check_parser = commands.add_parser(
        "check", parents=[common], help="validate the knowledge and report provenance"
    )
    check_parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), json, or github (annotations on the changed lines in CI)",
    )
    draft_parser = commands.add_parser(
        "draft", parents=[common], help="draft a knowledge file from a new article"
    )
    draft_parser.add_argument("article", metavar="ARTICLE.txt", help="the article as received")
    draft_parser.add_argument("--out", metavar="FILE", help="write here (default: standard output)")
    draft_parser.add_argument("--force", action="store_true", help="overwrite an existing --out")
    misses_parser = commands.add_parser(
        "misses", parents=[common], help="what readers asked for that the knowledge lacks"
    )
    misses_parser.add_argument(
        "--limit", type=int, default=10, metavar="N", help="how many to show (default 10)"
    )
    return parser


def _with_knowledge(settings: Settings, directory: str) -> Settings:
    return replace(settings, knowledge_dir=Path(directory).expanduser())


def ask(
    engine: Engine,
    lines: Sequence[str],
    as_json: bool,
    out: TextIO,
    usage: UsageLog | None = None,
) -> int:
    """Answer each chat line; 0 when every reply answered, 1 when any did not."""
    results = []
    headers = []  # each reply's command as it would be typed (a question: `!ask …`)
    for line in lines:
        reply = engine.handle(line, require_prefix=False)
        asked = reply.asked if reply is not None else None
        question = asked is not None and asked.command == "ask"
        headers.append(
            asked.typed(engine.prefix) if question else _with_prefix(line, engine.prefix)
        )
        if reply is None:
            results.append(
                {
                    "command": line,
                    "ok": False,
                    "status": "usage",
                    "title": "",
                    "text": "Type a command, such as !help.",
                }
            )
            continue
        note(usage, reply)
        results.append(render_json(reply, line, engine.prefix))
    if as_json:
        json.dump(results, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        # Several replies are each headed by the command they answer, as it would be typed.
        texts = [
            f"{header}\n{r['text']}" if len(lines) > 1 else r["text"]
            for header, r in zip(headers, results, strict=True)
        ]
        out.write("\n\n".join(texts) + "\n")
    return EXIT_OK if all(r["ok"] for r in results) else EXIT_NOT_OK


def _with_prefix(line: str, prefix: str) -> str:
    line = line.strip()
    return line if line.startswith(prefix) else prefix + line


def console(
    engine: Engine,
    store: KnowledgeStore,
    stdin: TextIO,
    out: TextIO,
    usage: UsageLog | None = None,
) -> int:
    """Chat with the engine: a prompt with history on a terminal, one reply per line otherwise."""
    # As PID 1 in a container a process ignores SIGTERM unless it handles it: end cleanly.
    signal.signal(signal.SIGTERM, _end_console)
    interactive = stdin.isatty() and out.isatty()
    if interactive:
        import readline  # noqa: F401 - importing it gives input() line editing and history

        out.write(f"briefbot console: type {engine.prefix}help, {engine.prefix}reload or quit.\n")
    while True:
        try:
            line = input("briefbot> ") if interactive else stdin.readline()
        except (EOFError, KeyboardInterrupt):
            out.write("\n")
            return EXIT_OK
        if not interactive and not line:
            return EXIT_OK
        line = line.strip()
        if not line:
            continue
        if line.casefold() in ("quit", "exit", f"{engine.prefix}quit"):
            return EXIT_OK
        if line.casefold() in ("reload", f"{engine.prefix}reload"):
            outcome = store.reload("console")
            out.write(outcome.summary() + "\n" + "".join(f"  {e}\n" for e in outcome.errors) + "\n")
            continue
        reply = engine.handle(line, require_prefix=False)
        if reply is not None:
            note(usage, reply)
            text = render_text(reply, engine.prefix)
            if interactive:  # a person reads it: break lines between words, not inside them
                text = wrapped(text, shutil.get_terminal_size().columns - 1)
            out.write(text + "\n\n")
            out.flush()


_LIST_ITEM = re.compile(r"(- |\d+\. )")


def wrapped(text: str, width: int) -> str:
    """Text wrapped to a terminal's width; a list item's later lines are indented under it."""
    lines = []
    for line in text.splitlines():
        item = _LIST_ITEM.match(line)
        indent = " " * len(item.group()) if item else ""
        lines.append(
            textwrap.fill(line, max(width, 20), subsequent_indent=indent, break_on_hyphens=False)
            if line
            else ""
        )
    return "\n".join(lines)


def _end_console(signum: int, frame: object) -> None:
    raise SystemExit(EXIT_OK)


def check(directory: Path, out: TextIO, form: str = "text") -> int:
    """Validate a knowledge directory and report how much of each article it cites."""
    return EXIT_OK if run_check(directory, out, form) else EXIT_NOT_OK

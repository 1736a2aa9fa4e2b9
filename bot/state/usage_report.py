"""The usage log as replies: what readers asked for that the knowledge lacks, what they read.

`!kb misses`, `briefbot misses` and the "Most looked up" part of `!kb` render these; the text
readers typed is always an `Echo`, shown inert by every front end.
"""

from __future__ import annotations

from bot.engine.index import KnowledgeIndex
from bot.engine.reply import Echo, Point, Reply, Section, Segment, Status, notice, point
from bot.state.usage_log import MAX_AGE_DAYS, Miss, UsageLog, UsageLogError

OUTCOME_WORDS = {"not_found": "not found", "ambiguous": "offered “Did you mean”"}


def misses_reply(usage: UsageLog | None, prefix: str = "!", limit: int = 10) -> Reply:
    """The most asked-for things the knowledge lacks, typos of one thing counted together."""
    if usage is None:
        return notice(Status.ANSWERED, "Misses", "The usage log is off (BRIEFBOT_USAGE_LOG).")
    try:
        misses = usage.misses(limit)
    except UsageLogError as error:
        return notice(Status.ANSWERED, "Misses", f"{str(error)[:1].upper()}{str(error)[1:]}.")
    if not misses:
        return notice(
            Status.ANSWERED,
            "Misses",
            f"Nothing asked for in the last {MAX_AGE_DAYS} days went unanswered.",
        )
    points = tuple(_miss(miss, prefix) for miss in misses)
    return Reply(
        Status.ANSWERED,
        "What readers asked for that the knowledge lacks",
        (point(f"The last {MAX_AGE_DAYS} days, most asked first; typos count together."),),
        (Section("", points, numbered=True),),
    )


def _miss(miss: Miss, prefix: str) -> Point:
    segments: list[Segment] = [Echo(miss.text), f" ×{miss.count}, "]
    segments.append(", ".join(f"{prefix}{command}" for command in miss.commands))
    segments.append(", " + " or ".join(OUTCOME_WORDS.get(o, o) for o in miss.outcomes))
    others = [s for s in miss.spellings if s != miss.text]
    if others:
        segments.append("; also typed ")
        for position, spelling in enumerate(others[:5]):
            if position:
                segments.append(", ")
            segments.append(Echo(spelling))
        if len(others) > 5:
            segments.append(f" and {len(others) - 5} more")
    return point(*segments)


def most_read_section(usage: UsageLog | None, index: KnowledgeIndex, limit: int = 5) -> Section:
    """The entries looked up most, for `!kb`."""
    if usage is None:
        return Section("Most looked up", (point("The usage log is off (BRIEFBOT_USAGE_LOG)."),))
    try:
        rows = usage.top_entries(limit)
    except UsageLogError as error:
        return Section("Most looked up", (point(str(error)),))
    entries = index.knowledge.entries
    points = tuple(
        point(
            f"{entries[entry_id].name if entry_id in entries else entry_id}: {count}",
            label=entries[entry_id].kind.label if entry_id in entries else "no longer known",
        )
        for entry_id, count in rows
    )
    return Section("Most looked up", points or (point("Nothing looked up yet."),))

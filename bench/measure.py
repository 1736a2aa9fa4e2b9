"""One size of the benchmark, in a process of its own so its peak memory is its own.

`python -m bench.measure CORPUS_DIR` prints one JSON object: load, check and reload
times, peak memory once loaded (serving) and at the end (a `check` and a reload, which holds
the old and the new index at once, have run too), and per matcher the latency and accuracy
over the generated queries.
"""

from __future__ import annotations

import difflib
import io
import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from bench.corpus import QUERIES_FILE, Query
from bench.search import measure_search
from bot.console.cli import check
from bot.engine.commands import Engine
from bot.engine.index import KnowledgeIndex
from bot.engine.reply import Status
from bot.knowledge.loader import load_knowledge
from bot.state.store import KnowledgeStore

BASELINE_CUTOFF = 80.0  # the plain baseline answers when WRatio reaches this (rapidfuzz's usual)
DIFFLIB_CUTOFF = 0.8  # and difflib when its ratio does
DIFFLIB_BUDGET_S = 20.0  # difflib is pure Python: stop asking it once this much time is spent
SEARCH_QUERIES = 300  # `!search` queries per size (bench.search)


def _timed(run: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def _latency(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {
        "median_ms": statistics.median(ordered) * 1000,
        "p99_ms": p99 * 1000,
        "queries": len(ordered),
    }


def _accuracy(answers: list[tuple[Query, str | None]]) -> dict[str, float]:
    """Top-1 accuracy and wrong answers over in-scope queries; answers to out-of-scope ones."""
    inside = [(q, a) for q, a in answers if q.expected is not None]
    outside = [(q, a) for q, a in answers if q.expected is None]
    by_form: dict[str, list[bool]] = {}
    for query, answer in inside:
        by_form.setdefault(query.form, []).append(answer == query.expected)
    return {
        "top1": sum(a == q.expected for q, a in inside) / max(len(inside), 1),
        "wrong": sum(a is not None and a != q.expected for q, a in inside) / max(len(inside), 1),
        "false_answers": sum(a is not None for _, a in outside) / max(len(outside), 1),
        "top1_by_form": {form: sum(hits) / len(hits) for form, hits in sorted(by_form.items())},
    }


def measure(corpus: Path) -> dict[str, object]:
    """Every figure for the corpus and queries under `corpus` (see bench.corpus.prepare)."""
    directory = corpus / "knowledge"
    load_s, knowledge = _timed(lambda: load_knowledge(directory))
    build_s, index = _timed(lambda: KnowledgeIndex.build(knowledge))  # type: ignore[arg-type]
    serving_mb = _peak_mb()  # what a bot holds once it has loaded, before any reload
    check_s, _ = _timed(lambda: check(directory, io.StringIO()))
    store = KnowledgeStore(directory, index)  # type: ignore[arg-type]
    reload_s, outcome = _timed(lambda: store.reload("bench"))
    assert outcome.ok, outcome.errors  # type: ignore[attr-defined]
    index = store.current
    entries = list(index.knowledge.entries.values())
    queries = [Query(**raw) for raw in json.loads((corpus / QUERIES_FILE).read_text())]
    owner = {name: e.id for e in entries for name in e.names}

    engine = Engine(_Fixed(index))
    ours: list[float] = []
    our_answers = []
    for query in queries:
        seconds, reply = _timed(lambda q=query: engine.run(q.command, q.argument))
        ours.append(seconds)
        answered = reply.status is Status.ANSWERED  # type: ignore[attr-defined]
        our_answers.append((query, (reply.entry_id or None) if answered else None))  # type: ignore[attr-defined]

    # The baselines get the same names and aliases, processed once, as they would in a bot.
    names = list(owner)
    processed = [utils.default_process(name) for name in names]
    plain: list[float] = []
    plain_answers = []
    for query in queries:

        def best(q: Query = query) -> str | None:
            found = process.extractOne(
                utils.default_process(q.argument),
                processed,
                scorer=fuzz.WRatio,
                processor=None,
                score_cutoff=BASELINE_CUTOFF,
            )
            return owner[names[found[2]]] if found else None

        seconds, answer = _timed(best)
        plain.append(seconds)
        plain_answers.append((query, answer))

    close: list[float] = []
    close_answers = []
    spent = 0.0
    for query in queries:
        if spent > DIFFLIB_BUDGET_S:
            break

        def nearest(q: Query = query) -> str | None:
            found = difflib.get_close_matches(
                utils.default_process(q.argument), processed, n=1, cutoff=DIFFLIB_CUTOFF
            )
            return owner[names[processed.index(found[0])]] if found else None

        seconds, answer = _timed(nearest)
        spent += seconds
        close.append(seconds)
        close_answers.append((query, answer))

    search = measure_search(index, min(len(queries), SEARCH_QUERIES))
    return {
        "search": search,
        "articles": len(index.knowledge.articles),
        "entries": len(entries),
        "names": len(names),
        "load_s": load_s + build_s,
        "check_s": check_s,
        "reload_s": reload_s,
        "serving_rss_mb": serving_mb,
        "peak_rss_mb": _peak_mb(),
        "matchers": {
            "briefbot": {**_latency(ours), **_accuracy(our_answers)},
            "rapidfuzz_wratio": {**_latency(plain), **_accuracy(plain_answers)},
            "difflib": {**_latency(close), **_accuracy(close_answers)},
        },
    }


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Fixed:
    def __init__(self, index: KnowledgeIndex) -> None:
        self.current = index


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]))))

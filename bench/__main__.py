"""`python -m bench`: generate the corpora, measure each in its own process, write the figures.

Writes bench/results/bench.json (every figure) and bench/results/bench.md (the table README
shows). Sizes are articles of 100 entries each; `--sizes 1,10,100,1000` adds 100,000 entries.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.corpus import make_queries, prepare, write_corpus

DEFAULT_SIZES = "1,10,100"
RESULTS = Path(__file__).resolve().parent / "results"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="articles per corpus, e.g. 1,10")
    parser.add_argument("--queries", type=int, default=600, help="queries per size")
    parser.add_argument("--no-e2e", action="store_true", help="skip the emulator burst")
    parser.add_argument("--e2e-articles", type=int, default=10, help="the burst's corpus size")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the figures go")
    options = parser.parse_args(argv)
    sizes = [int(size) for size in options.sizes.split(",")]
    figures: dict[str, object] = {"seed": 1, "sizes": []}
    with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as scratch:
        for articles in sizes:
            corpus = Path(scratch) / f"c{articles}"
            prepare(corpus, articles, options.queries)
            found = subprocess.run(
                [sys.executable, "-m", "bench.measure", str(corpus)],
                check=True,
                capture_output=True,
                text=True,
            )
            size = json.loads(found.stdout)
            figures["sizes"].append(size)  # type: ignore[attr-defined]
            print(_row(size), file=sys.stderr)
        if not options.no_e2e:
            from bench.e2e import replies_per_second  # needs the test emulator

            corpus = Path(scratch) / "e2e"
            entries = write_corpus(corpus, options.e2e_articles)
            names = [q.argument for q in make_queries(entries, 200) if q.command == "product"]
            figures["e2e"] = {
                "articles": options.e2e_articles,
                **replies_per_second(corpus / "knowledge", names),
            }
    options.out.mkdir(parents=True, exist_ok=True)
    (options.out / "bench.json").write_text(json.dumps(figures, indent=2) + "\n")
    table = markdown(figures)
    (options.out / "bench.md").write_text(table)
    print(table)
    return 0


def _row(size: dict) -> str:  # type: ignore[type-arg]
    ours = size["matchers"]["briefbot"]
    return f"{size['entries']} entries: p99 {ours['p99_ms']:.2f} ms, load {size['load_s']:.2f} s"


def markdown(figures: dict) -> str:  # type: ignore[type-arg]
    """The figures as the Markdown tables README shows."""
    lines = [
        "| entries | matcher | median ms | p99 ms | p99 vs WRatio | top-1 | wrong | "
        "false answers (out of scope) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size in figures["sizes"]:
        base = size["matchers"]["rapidfuzz_wratio"]["p99_ms"]
        for name, label in (
            ("briefbot", "briefbot"),
            ("rapidfuzz_wratio", "rapidfuzz WRatio"),
            ("difflib", "difflib"),
        ):
            m = size["matchers"][name]
            lines.append(
                f"| {size['entries']:,} | {label} | {m['median_ms']:.2f} | {m['p99_ms']:.2f} | "
                f"{m['p99_ms'] / base:.2f}× | {m['top1']:.1%} | {m['wrong']:.1%} | "
                f"{m['false_answers']:.1%} |"
            )
    lines += [
        "",
        "| entries | load and validate s | `check` s | reload s | memory once loaded MB "
        "| peak memory MB | growth of load |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    previous = None
    for size in figures["sizes"]:
        growth = ""
        if previous:
            times = size["load_s"] / previous["load_s"]
            growth = f"×{times:.1f} for ×{size['entries'] / previous['entries']:.0f} entries"
        lines.append(
            f"| {size['entries']:,} | {size['load_s']:.2f} | {size['check_s']:.2f} | "
            f"{size['reload_s']:.2f} | {size['serving_rss_mb']:.0f} | "
            f"{size['peak_rss_mb']:.0f} | {growth} |"
        )
        previous = size
    lines += [
        "",
        "| entries | search engine | build s | median ms | p99 ms | sentence found |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for size in figures["sizes"]:
        for name, label in (("fts5_bm25", "FTS5 BM25 (the bot)"), ("fuzzy_words", "fuzzy words")):
            m = size["search"][name]
            lines.append(
                f"| {size['entries']:,} | {label} | {m['build_s']:.2f} | {m['median_ms']:.2f} | "
                f"{m['p99_ms']:.2f} | {m['found']:.1%} |"
            )
    if "e2e" in figures:
        e2e = figures["e2e"]
        lines += [
            "",
            f"End to end through the emulator ({e2e['articles'] * 100:,} entries): "
            f"`!product` {e2e['briefbot_product']:.0f} replies/s, bare discord.py `!ping` "
            f"{e2e['discordpy_ping']:.0f} replies/s ({e2e['ratio']:.0%} of the floor).",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())

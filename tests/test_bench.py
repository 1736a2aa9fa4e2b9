"""The benchmark at its smallest size, so it cannot rot: it runs, and its figures make sense.

No timing is asserted; only that every figure is there and the accuracies are sane.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.__main__ import main

pytestmark = [pytest.mark.slow, pytest.mark.timeout(170)]

LATENCY = ("median_ms", "p99_ms", "queries")
ACCURACY = ("top1", "wrong", "false_answers", "top1_by_form")


def test_the_benchmark_writes_every_figure_at_its_smallest_size(tmp_path: Path) -> None:
    assert main(["--sizes", "1", "--queries", "120", "--out", str(tmp_path)]) == 0
    figures = json.loads((tmp_path / "bench.json").read_text())
    [size] = figures["sizes"]
    assert size["entries"] == 100 and size["articles"] == 1
    for key in ("load_s", "check_s", "reload_s", "serving_rss_mb", "peak_rss_mb"):
        assert size[key] > 0
    for name in ("briefbot", "rapidfuzz_wratio", "difflib"):
        matcher = size["matchers"][name]
        assert set(LATENCY + ACCURACY) <= set(matcher)
        assert matcher["queries"] == 120
        assert 0 <= matcher["wrong"] <= 1 and 0 <= matcher["false_answers"] <= 1
    ours = size["matchers"]["briefbot"]
    # Ours must never answer wrongly, and must answer every exact name and every typo.
    assert ours["wrong"] == 0
    assert ours["top1_by_form"]["exact"] == 1 and ours["top1_by_form"]["typo"] == 1
    assert ours["top1"] > 0.5
    search = size["search"]
    for engine in ("fts5_bm25", "fuzzy_words"):
        assert set(LATENCY) <= set(search[engine]) and search[engine]["queries"] > 0
        assert search[engine]["build_s"] > 0 and 0 < search[engine]["found"] <= 1
    e2e = figures["e2e"]
    assert e2e["briefbot_product"] > 0 and e2e["discordpy_ping"] > 0
    table = (tmp_path / "bench.md").read_text()
    assert "| 100 | briefbot |" in table and "replies/s" in table
    assert "| 100 | FTS5 BM25 (the bot) |" in table

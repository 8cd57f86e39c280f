"""The setting a user should run with, and the issue's three targets checked for it."""

from __future__ import annotations

from typing import Any

RSS_TARGET = 0.5  # peak RSS as a fraction of the baseline's (the memory target)


def ct2_beam4(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The CTranslate2 rows at the workload's beam (not the beam 2 / greedy trade-offs)."""
    return [r for r in rows if r["system"] == "ctranslate2" and "generation" not in r]


def best_setting(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest beam-4 CTranslate2 row within the memory target (the fastest of all where
    none is): a setting to run with has to meet both."""
    base = rows[0]
    beam4 = ct2_beam4(rows)
    within = [r for r in beam4 if r["peak_rss_mb"] <= RSS_TARGET * base["peak_rss_mb"]]
    return max(within or beam4, key=lambda r: r["articles_per_s"])


def check_targets(rows: list[dict[str, Any]]) -> list[str]:
    """The issue's three targets, for the best setting (``best_setting``) and batch 1."""
    base = rows[0]
    beam4 = ct2_beam4(rows)
    best = best_setting(rows)
    fastest = max(beam4, key=lambda r: r["articles_per_s"])
    one = next(r for r in beam4 if r["batch"] == 1 and r.get("replicas", 1) == 1)
    throughput = best["articles_per_s"] / base["articles_per_s"]
    latency = base["latency_s"] / one["latency_s"]
    rss_best = best["peak_rss_mb"] / base["peak_rss_mb"]
    rss_one = one["peak_rss_mb"] / base["peak_rss_mb"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    lines = [
        f"throughput {throughput:.2f}x the baseline at {best['label']} (target >= 6x):"
        f" {verdict(throughput >= 6)}",
        f"single-article latency {latency:.2f}x lower at batch 1 (target >= 4x):"
        f" {verdict(latency >= 4)}",
        f"peak RSS {rss_best:.2f} of the baseline's at {best['label']}, {rss_one:.2f} at batch 1"
        f" (target <= {RSS_TARGET}): {verdict(max(rss_best, rss_one) <= RSS_TARGET)}",
    ]
    if fastest is not best:
        lines.append(
            f"faster, above the memory target: {fastest['label']},"
            f" {fastest['articles_per_s'] / base['articles_per_s']:.2f}x at peak RSS"
            f" {fastest['peak_rss_mb'] / base['peak_rss_mb']:.2f}"
        )
    return lines

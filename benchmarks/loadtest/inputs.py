"""The articles a load run sends: the dev set's (or the sample's), one near a length, joined."""

from __future__ import annotations

import json

from benchmarks.loadtest import ROOT

SAMPLES = ROOT / "samples" / "cnndm_sample.jsonl"
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"


def load_articles() -> tuple[list[str], str]:
    source = DEV if DEV.is_file() else SAMPLES
    with source.open(encoding="utf-8") as f:
        return [json.loads(line)["article"] for line in f], source.name


def article_near(articles: list[str], chars: int) -> str:
    """The article whose length is closest to ``chars`` (the hit/miss body)."""
    return min(articles, key=lambda a: abs(len(a) - chars))


def joined_to(articles: list[str], chars: int) -> str:
    """Articles joined until at least ``chars`` long (the flood's large body)."""
    parts, size = [], 0
    for article in articles:
        parts.append(article)
        size += len(article) + 2
        if size >= chars:
            break
    return "\n\n".join(parts)

"""Evaluation sets: JSONL files of articles with one or more human reference summaries."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from summarizer.errors import InputError
from summarizer.evaluation.jsonl import json_rows

Half = Literal["all", "tune", "heldout"]
HALVES: tuple[str, ...] = ("all", "tune", "heldout")
# A row (article and references) longer than this is refused, not held: the longest row of
# shared/eval/dev.jsonl has under 7,000 characters.
MAX_ROW_CHARS = 2_000_000


@dataclass(frozen=True)
class Example:
    """One article and its references (highlights one per line, the layout ROUGE-Lsum expects)."""

    id: str
    article: str
    references: tuple[str, ...]


def load_dataset(
    path: str | Path,
    *,
    limit: int | None = None,
    half: Half = "all",
    reference_lines: int | None = None,
) -> list[Example]:
    """Read ``{id, article, reference}`` rows (or ``references``: a list) from a JSONL file.

    ``half`` keeps one of two fixed halves (see :func:`split_half`); ``limit`` then keeps the
    first N rows, so ``--limit`` subsets are reproducible. ``reference_lines=1`` keeps only the
    first line of each reference: CNN/DM's first highlight as a stand-in for single-sentence
    references (the way another outlet, or XSum, summarizes).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no such dataset file: {path}")
    examples: list[Example] = []
    with path.open(encoding="utf-8") as f:
        for number, row in json_rows(f, path, MAX_ROW_CHARS):
            try:
                json.dumps(row, ensure_ascii=False).encode("utf-8")  # a lone "\ud800" fails
            except (UnicodeEncodeError, RecursionError) as exc:
                what = (
                    "nested too deeply" if isinstance(exc, RecursionError) else "a lone surrogate"
                )
                raise InputError(f"{path}:{number}: not usable JSON text ({what})") from None
            examples.append(_example(row, f"{path}:{number}", default_id=str(number)))
    if not examples:
        raise InputError(f"{path}: no examples")
    seen: set[str] = set()
    for example in examples:
        if example.id in seen:
            raise InputError(f"{path}: duplicate id {example.id!r}")
        seen.add(example.id)
    examples = split_half(examples, half)
    if reference_lines is not None:
        examples = [_first_lines(e, reference_lines) for e in examples]
    return examples[:limit] if limit is not None else examples


def _first_lines(example: Example, n: int) -> Example:
    refs = tuple("\n".join(r.strip().splitlines()[:n]) for r in example.references)
    return Example(id=example.id, article=example.article, references=refs)


def _example(row: object, where: str, default_id: str) -> Example:
    if not isinstance(row, dict):
        raise InputError(f"{where}: expected a JSON object")
    article = row.get("article")
    if not isinstance(article, str) or not article.strip():
        raise InputError(f"{where}: 'article' must be a non-empty string")
    refs = row.get("references", row.get("reference"))
    if isinstance(refs, str):
        refs = [refs]
    if (
        not isinstance(refs, list)
        or not refs
        or not all(isinstance(r, str) and r.strip() for r in refs)
    ):
        raise InputError(f"{where}: needs 'reference' (a string) or 'references' (strings)")
    return Example(id=str(row.get("id", default_id)), article=article, references=tuple(refs))


def half_of(example_id: str) -> Literal["tune", "heldout"]:
    """A fixed half for every id: a hash, so it does not depend on file order or size."""
    digest = hashlib.sha256(example_id.encode("utf-8")).digest()
    return "tune" if digest[0] % 2 == 0 else "heldout"


def split_half(examples: Iterable[Example], half: Half) -> list[Example]:
    """The tuning or the held-out half of a dataset (``"all"``: every example)."""
    if half not in HALVES:
        raise InputError(f"half must be one of {', '.join(HALVES)}, not {half!r}")
    return [e for e in examples if half == "all" or half_of(e.id) == half]

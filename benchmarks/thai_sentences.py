"""Thai and Lao sentence splitting: the shipped rule against pythainlp; writes
docs/sentence-splitting-thai.md.

    PYTHONPATH=$PWD python benchmarks/thai_sentences.py
    PYTHONPATH=$PWD python benchmarks/thai_sentences.py --pythainlp /tmp/thai  # pip --target

Thai and Lao mark no sentence end: the space between sentences is also the space between
clauses. The candidates, on hand-written news paragraphs (``SPACED_SCRIPT_PARAGRAPHS`` in
``summarizer/testing/sentence_cases.py``, written for the project: the dev pages hold no Thai or
Lao), each with the sentences a careful reader sees:

- **shipped: split_sentences**: Bling Fire and the project's rule (``summarizer.text.sentences``:
  a space between two Thai or Lao letters, with the clauses that cannot stand alone glued back);
- **spaces only**: every space between two Thai or Lao letters, nothing glued back;
- **Bling Fire alone**: what the project did before (a paragraph is one sentence);
- **pythainlp crfcut**: pythainlp's CRF sentence splitter (Thai only), when pythainlp and
  python-crfsuite can be imported (not project dependencies: ``--pythainlp`` names a folder
  they were installed into with ``pip install --target``).

Columns: **paragraphs exact** (every sentence as written), **ends found** (recall of the true
sentence ends), **ends right** (precision of the breaks made), **ms/paragraph** (median CPU
time), **ms 10k words** (the first paragraph 90 times: 40,850 Thai characters, 10,000 words at the
project's four characters a word; best of three), and **first call ms** (loading included).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.testing.sentence_cases import SPACED_SCRIPT_PARAGRAPHS as PARAGRAPHS  # noqa: E402
from summarizer.text.sentences import _SCRIPT_SPACE, split_sentences  # noqa: E402

SHIPPED = "shipped: split_sentences"


def _spaces_only(text: str, lang: str) -> list[str]:
    return [piece.strip() for piece in _SCRIPT_SPACE.split(text) if piece.strip()]


def _blingfire(text: str, lang: str) -> list[str]:
    import blingfire

    return [s.strip() for s in blingfire.text_to_sentences(text).split("\n") if s.strip()]


def _crfcut(text: str, lang: str) -> list[str] | None:
    if lang != "th":
        return None  # Thai only
    from pythainlp.tokenize import sent_tokenize

    return [s.strip() for s in sent_tokenize(text, engine="crfcut") if s.strip()]


def _ends(sentences: list[str]) -> set[int]:
    """Character offsets (spaces removed) where each sentence but the last ends."""
    ends, position = set(), 0
    for sentence in sentences[:-1]:
        position += len(sentence.replace(" ", ""))
        ends.add(position)
    return ends


def measure(split: Callable[[str, str], list[str] | None]) -> dict[str, str]:
    start = time.process_time()
    split(" ".join(PARAGRAPHS[0][1]), "th")
    first_ms = (time.process_time() - start) * 1000
    exact = found = made = right = expected = 0
    paragraph_ms: list[float] = []
    scored = 0
    for lang, sentences in PARAGRAPHS:
        text = " ".join(sentences)
        start = time.process_time()
        pieces = split(text, lang)
        paragraph_ms.append((time.process_time() - start) * 1000)
        if pieces is None:
            continue
        scored += 1
        exact += pieces == sentences
        truth, guess = _ends(sentences), _ends(pieces)
        expected += len(truth)
        found += len(truth & guess)
        made += len(guess)
        right += len(truth & guess)
    big = " ".join(s for _ in range(90) for s in PARAGRAPHS[0][1])
    big_ms = min(_timed(split, big) for _ in range(3))
    return {
        "paragraphs exact": f"{exact}/{scored}",
        "ends found %": f"{100 * found / max(1, expected):.0f}",
        "ends right %": f"{100 * right / max(1, made):.0f}",
        "ms/paragraph": f"{statistics.median(paragraph_ms):.2f}",
        "ms 10k words": f"{big_ms:.1f}",
        "first call ms": f"{first_ms:.0f}",
    }


def _timed(split: Callable[[str, str], list[str] | None], text: str) -> float:
    start = time.process_time()
    split(text, "th")
    return (time.process_time() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "sentence-splitting-thai.md"))
    parser.add_argument("--pythainlp", default=None, help="folder pythainlp was installed into")
    args = parser.parse_args()
    if args.pythainlp:
        sys.path.insert(0, args.pythainlp)
    systems: dict[str, Callable[[str, str], list[str] | None]] = {
        SHIPPED: split_sentences,
        "spaces only": _spaces_only,
        "Bling Fire alone": _blingfire,
    }
    try:
        import pycrfsuite  # noqa: F401
        import pythainlp

        systems[f"pythainlp {pythainlp.__version__} crfcut"] = _crfcut
    except ImportError:
        pass
    rows = {name: measure(split) for name, split in systems.items()}
    columns = list(next(iter(rows.values())))
    sentences = sum(len(s) for _, s in PARAGRAPHS)
    lines = [
        "# Thai and Lao sentence splitting: the candidates compared",
        "",
        "Written by `benchmarks/thai_sentences.py` (its docstring defines every column); do not",
        "edit by hand. The project ships the row in bold (`summarizer/text/sentences.py`).",
        "",
        f"Command: `PYTHONPATH=$PWD python benchmarks/thai_sentences.py"
        f"{' --pythainlp DIR' if args.pythainlp else ''}`; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{platform.machine()}; {len(PARAGRAPHS)} hand-written paragraphs ("
        f"{sum(lang == 'th' for lang, _ in PARAGRAPHS)} Thai, "
        f"{sum(lang == 'lo' for lang, _ in PARAGRAPHS)} Lao), {sentences} sentences. "
        "pythainlp is scored on the Thai paragraphs only. The paragraphs were written by the "
        "rule's author, who knew the rule: read the rows as a check of the rule, not a fair "
        "contest (no Thai or Lao page is in the dev set).",
        "",
        "| splitter | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for name, row in rows.items():
        label = f"**{name}**" if name == SHIPPED else name
        lines.append(f"| {label} | " + " | ".join(row[c] for c in columns) + " |")
    if not any(name.startswith("pythainlp") for name in rows):
        lines += ["", "pythainlp was not importable in this run, so it has no row."]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

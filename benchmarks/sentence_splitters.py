"""Compare sentence splitters on speed and on the dev pages; writes docs/sentence-splitting.md.

    PYTHONPATH=$PWD python benchmarks/sentence_splitters.py            # all candidates
    PYTHONPATH=$PWD python benchmarks/sentence_splitters.py --out /tmp/s.md --pages 20

Candidates: Bling Fire, pysbd, sentencex, syntok, each alone and each followed by the project's
repair pass (``summarizer.text.sentences.repair``: no break after a dotted ordinal, an initial,
a never-final abbreviation, or before a lowercase word), and the function the project ships
(``split_sentences``: Bling Fire + repair, after cutting at the full stops Bling Fire does not
know, such as the Devanagari danda), in bold.
Needs the ``splitters`` extra (blingfire, pysbd, syntok) besides the project's own sentencex.

What is counted, on the text of every dev page (its true body where it has one, else the text
trafilatura extracts from it), one paragraph a call, with the page's language:

- **cases**: hand-written sentences with abbreviations, ordinal dates, initials and quotations
  in en, de, fr, es, it, pt, ru, hi, ja, zh (``summarizer/testing/sentence_cases.py``): how
  many come out exactly as written.
- **split inside**: breaks after a full stop where the next piece starts with a lowercase word
  (in a script with capitals no sentence starts so), per 1,000 sentences.
- **after short token**: breaks right after a one-to-three-letter token or a one-to-three-digit
  number with a stop ("Dr.", "z.", "12."): where abbreviation and ordinal errors land; some are
  true ends ("in the U.S."), so lower is better only together with the next column.
- **missed**: sentences that still hold a sentence end inside them (a lowercase word of three
  letters or more, a stop, a space, a capital; or a Chinese/Japanese full stop followed by more
  text), per 1,000 sentences: a splitter that splits too little scores well on the first two.
  The shipped function glues a quotation's sentences back into one, and its count includes them.
- **ms 10k words**: one call on a single 10,000-word paragraph (best of three), and **ms/page**:
  the median time for a dev page; CPU time of the process, so that other work on a shared
  machine does not inflate it.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.testing.sentence_cases import SENTENCE_CASES  # noqa: E402
from summarizer.text import html_to_text  # noqa: E402
from summarizer.text.sentences import repair, split_sentences  # noqa: E402

DEV_PAGES = ROOT.parent / "shared" / "eval" / "web" / "dev.jsonl.gz"
SHIPPED = "shipped: split_sentences"

_LOWER_START = re.compile(r"^\W*[^\W\d_]+")
_SHORT_END = re.compile(r"(?:^|\s)\(?(?:[^\W\d_]{1,3}|\d{1,3})\.$")
_MISSED = re.compile(
    r"[a-zà-öø-ÿа-яё]{3}[.!?]['\"’”]?\s+[A-ZÀ-ÖØ-ÞА-ЯЁ]"  # "... pleased. It ..."
    r"|[。！？][^」』）)\"”’。！？\s]"  # a CJK full stop with text after it
)


def _blingfire(text: str, lang: str) -> list[str]:
    import blingfire

    return blingfire.text_to_sentences(text).split("\n")


_PYSBD: dict[str, object] = {}


def _pysbd(text: str, lang: str) -> list[str]:
    import pysbd

    code = lang if lang in pysbd.languages.LANGUAGE_CODES else "en"
    if code not in _PYSBD:
        _PYSBD[code] = pysbd.Segmenter(language=code, clean=False)
    return _PYSBD[code].segment(text)  # type: ignore[attr-defined]


def _sentencex(text: str, lang: str) -> list[str]:
    import sentencex

    return list(sentencex.segment(lang, text))


def _syntok(text: str, lang: str) -> list[str]:
    from syntok import segmenter

    return [
        "".join(t.spacing + t.value for t in sentence)
        for paragraph in segmenter.process(text)
        for sentence in paragraph
    ]


BASES: dict[str, Callable[[str, str], list[str]]] = {
    "blingfire": _blingfire,
    "pysbd": _pysbd,
    "sentencex": _sentencex,
    "syntok": _syntok,
}


def candidates() -> dict[str, Callable[[str, str], list[str]]]:
    systems: dict[str, Callable[[str, str], list[str]]] = {}
    for name, base in BASES.items():
        systems[name] = lambda text, lang, base=base: [
            s.strip() for s in base(text, lang) if s.strip()
        ]
        systems[f"{name} + repair"] = lambda text, lang, base=base: repair(
            [s.strip() for s in base(text, lang) if s.strip()], lang
        )
    # What the project runs: Bling Fire + repair, with the other scripts' full stops cut first.
    systems[SHIPPED] = split_sentences
    return systems


def load_texts(limit: int | None) -> list[tuple[str, str]]:
    """(language, text) for the dev pages: the true body, else the extracted text."""
    texts = []
    with gzip.open(DEV_PAGES, "rt", encoding="utf-8") as lines:
        for line in lines:
            page = json.loads(line)
            texts.append((page["lang"], page["body"] or html_to_text(page["html"])))
            if limit and len(texts) >= limit:
                break
    return texts


def measure(split: Callable[[str, str], list[str]], texts: list[tuple[str, str]]) -> dict:
    cases = sum(split(text, lang) == expected for lang, text, expected in SENTENCE_CASES)
    sentences = inside = short = missed = 0
    page_ms = []
    for lang, text in texts:
        start = time.process_time()
        pieces_by_paragraph = [split(p, lang) for p in text.split("\n") if p.strip()]
        page_ms.append((time.process_time() - start) * 1000)
        for pieces in pieces_by_paragraph:
            sentences += len(pieces)
            missed += sum(bool(_MISSED.search(p)) for p in pieces)
            for left, right in itertools.pairwise(pieces):
                if not left.endswith("."):
                    continue
                word = _LOWER_START.match(right)
                if word and word.group().strip("\"'“‘«„( ").islower():
                    inside += 1
                short += bool(_SHORT_END.search(left))
    paragraph = " ".join(
        ["The committee met on Tuesday and discussed the budget in detail for next year."] * 770
    )
    big_ms = min(_timed(split, paragraph) for _ in range(3))
    per_k = 1000 / max(1, sentences)
    return {
        "cases": f"{cases}/{len(SENTENCE_CASES)}",
        "sentences": sentences,
        "split inside /1k": round(inside * per_k, 1),
        "after short token /1k": round(short * per_k, 1),
        "missed /1k": round(missed * per_k, 1),
        "ms 10k words": round(big_ms, 1),
        "ms/page (median)": round(statistics.median(page_ms), 2),
    }


def _timed(split: Callable[[str, str], list[str]], text: str) -> float:
    start = time.process_time()
    split(text, "en")
    return (time.process_time() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "sentence-splitting.md"))
    parser.add_argument("--pages", type=int, default=None, help="first N dev pages only")
    args = parser.parse_args()
    texts = load_texts(args.pages)
    rows = {name: measure(split, texts) for name, split in candidates().items()}
    # The shipped function itself must give what its row measured.
    columns = list(next(iter(rows.values())))
    languages = sorted({lang for lang, _ in texts})
    lines = [
        "# Sentence splitting: the candidates compared",
        "",
        "Written by `benchmarks/sentence_splitters.py` (its docstring defines every column);",
        "do not edit by hand. The project ships the row in bold (`summarizer/text/sentences.py`).",
        "",
        f"Command: `PYTHONPATH=$PWD python benchmarks/sentence_splitters.py"
        f"{f' --pages {args.pages}' if args.pages else ''}`; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{platform.machine()}; {len(texts)} dev pages ({', '.join(languages)}).",
        "",
        "| splitter | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for name, row in rows.items():
        label = f"**{name}**" if name == SHIPPED else name
        lines.append(f"| {label} | " + " | ".join(str(row[c]) for c in columns) + " |")
    lines += [
        "",
        "The shipped row keeps a quotation of several sentences whole on purpose",
        "(`summarizer/text/quotes.py`: a summary takes a quotation whole or not at all), so its",
        "**missed** column also counts the sentence ends inside such quotations; the",
        "`blingfire + repair` row is the same splitter without that step.",
    ]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

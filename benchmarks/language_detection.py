"""Language detection and page preparation on the dev pages; writes docs/language-detection.md.

    PYTHONPATH=$PWD python benchmarks/language_detection.py
    PYTHONPATH=$PWD python benchmarks/language_detection.py --pages 40 --out /tmp/l.md

For every page of ../shared/eval/web/dev.jsonl.gz: the language that
``summarizer.text.language.detect_language`` gives for the page's prepared text, against the
page's ``lang``; the time detection takes; and the time ``summarizer.text.prepare`` takes for the
page's HTML (extraction, normalization, detection, splitting) with the language detected and
with the language given by the caller. Times are the process's CPU time (one thread), so that
other work on a shared machine does not inflate them; the detector's one-time model load is
reported on its own and not counted in the per-page times.

Short text: for the first ``SHORT_CHARS`` characters of each page's prepared text, how often the
detector alone is right, how often the page's declared language is (``<html lang>``, else
``og:locale``, else ``Content-Language``: ``declared_language``; pages without one count as
wrong), and how often the shipped rule is (``detect_language(text, declared)``: the declaration
where the detector's probability is under ``MIN_CONFIDENCE``). Those rows justify the
precedence in ``summarizer/text/language.py``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trafilatura.utils import load_html  # noqa: E402

from summarizer.errors import InputError  # noqa: E402
from summarizer.text import prepare  # noqa: E402
from summarizer.text.language import (  # noqa: E402
    DETECT_CHARS,
    MIN_CONFIDENCE,
    _identifier,
    declared_language,
    detect_language,
)

DEV_PAGES = ROOT.parent / "shared" / "eval" / "web" / "dev.jsonl.gz"
SHORT_CHARS = (20, 40, 80, 160)


def _ms(start: float) -> float:
    return (time.process_time() - start) * 1000


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "language-detection.md"))
    parser.add_argument("--pages", type=int, default=None, help="first N dev pages only")
    parser.add_argument("--pages-file", default=str(DEV_PAGES), help="gzip JSONL of pages")
    args = parser.parse_args()
    with gzip.open(args.pages_file, "rt", encoding="utf-8") as lines:
        pages = [json.loads(line) for line in lines][: args.pages]

    start = time.process_time()
    _identifier()
    load_ms = _ms(start)

    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    wrong: list[str] = []
    detect_ms: list[float] = []
    prepare_ms: list[float] = []
    given_ms: list[float] = []
    refused = 0
    short: Counter[tuple[int, str]] = Counter()
    declaring = declared_right = 0
    for page in pages:
        try:
            start = time.process_time()
            doc = prepare(page["html"], "html")
            prepare_ms.append(_ms(start))
            start = time.process_time()
            prepare(page["html"], "html", language=page["lang"])
            given_ms.append(_ms(start))
        except InputError:
            refused += 1
            continue
        start = time.process_time()
        detected = detect_language(doc.text)
        detect_ms.append(_ms(start))
        total[page["lang"]] += 1
        if detected == page["lang"]:
            right[page["lang"]] += 1
        else:
            wrong.append(f"`{page['id']}` ({page['lang']} read as {detected})")
        root = load_html(page["html"])
        declared = declared_language(root) if root is not None else None
        declaring += declared is not None
        declared_right += declared == page["lang"]
        for chars in SHORT_CHARS:
            text = doc.text[:chars]
            short[chars, "detector"] += detect_language(text) == page["lang"]
            short[chars, "rule"] += detect_language(text, declared) == page["lang"]

    pages_done = sum(total.values())
    lines = [
        "# Language detection and page preparation",
        "",
        "Written by `benchmarks/language_detection.py` (its docstring says what is timed); do not",
        "edit by hand. Detector: py3langid, the first "
        f"{DETECT_CHARS:,} characters of the article text (`summarizer/text/language.py`).",
        "",
        f"Command: `PYTHONPATH=$PWD python benchmarks/language_detection.py"
        f"{f' --pages {args.pages}' if args.pages else ''}`; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{platform.machine()}; {len(pages)} pages of `{Path(args.pages_file).name}`, "
        f"{refused} refused by `prepare`.",
        "",
        "| language | pages | detected right | accuracy % |",
        "|---|---|---|---|",
    ]
    for lang in sorted(total, key=lambda code: (-total[code], code)):
        share = 100 * right[lang] / total[lang]
        lines.append(f"| {lang} | {total[lang]} | {right[lang]} | {share:.1f} |")
    all_right = sum(right.values())
    lines += [
        f"| all | {pages_done} | {all_right} | {100 * all_right / max(1, pages_done):.1f} |",
        "",
        f"Wrong: {', '.join(wrong) if wrong else 'none'}.",
        "",
        "| per page, CPU time | median ms | p99 ms | max ms |",
        "|---|---|---|---|",
    ]
    for label, values in (
        ("detection", detect_ms),
        ("prepare, language detected", prepare_ms),
        ("prepare, language given", given_ms),
    ):
        lines.append(
            f"| {label} | {statistics.median(values):.2f} | {_p(values, 0.99):.1f} "
            f"| {max(values):.1f} |"
        )
    lines += [
        "",
        f"The detector's model loads once per process: {load_ms:.0f} ms here.",
        "",
        f"Declared languages: {declaring} of {pages_done} pages declare one, "
        f"{declared_right} of them the page's `lang`.",
        "",
        "| text | detector alone % | declaration alone % | shipped rule % |",
        "|---|---|---|---|",
    ]
    for chars in SHORT_CHARS:
        lines.append(
            f"| first {chars} characters | {100 * short[chars, 'detector'] / pages_done:.1f} "
            f"| {100 * declared_right / pages_done:.1f} "
            f"| {100 * short[chars, 'rule'] / pages_done:.1f} |"
        )
    lines += [
        "",
        f"Shipped rule: the declaration where the detector's probability is under "
        f"{MIN_CONFIDENCE}, else the detector.",
    ]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

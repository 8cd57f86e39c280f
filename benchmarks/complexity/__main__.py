"""Write the complexity table of docs/reliability.md: every stage on every generated shape.

    python -m benchmarks.complexity                 # the whole sweep, rewrites the table
    python -m benchmarks.complexity --out /tmp/c.md # the section alone, elsewhere
    python -m benchmarks.complexity --stride 4      # one shape in four (shorter)

For each stage: the steepest growth from n to 4n over the shapes (and which shape), then, for the
whole paths, the most CPU one call took at the largest allowed input (300,000 characters of text,
a 3,000,000-character page) and on which shape. The targets: growth at most 6, and at most 2 s of
CPU at the largest input (tests/summarizer/test_complexity.py asserts both).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.complexity.measure import GROWTH, MAX_RATIO  # noqa: E402
from benchmarks.complexity.shapes import (  # noqa: E402
    html_shapes,
    html_size,
    representative_text_shapes,
)
from benchmarks.complexity.stages import stages_for  # noqa: E402
from benchmarks.complexity.sweep import cpu_seconds, stage_growth  # noqa: E402
from summarizer.text.prepare import MAX_HTML_CHARS, MAX_INPUT_CHARS  # noqa: E402

DOC = ROOT / "docs" / "reliability.md"
MARK = "<!-- complexity table: python -m benchmarks.complexity -->"
TEXT_N = 2_000
CPU_TARGET = 2.0


def measure(stride: int) -> list[str]:
    rows = [
        "| input | stage | shapes | steepest growth n to 4n (shape) | most CPU at the largest "
        "input (shape) |",
        "| --- | --- | ---: | --- | --- |",
    ]
    for html in (False, True):
        shapes = html_shapes() if html else representative_text_shapes()
        shapes = shapes[::stride]
        limit = MAX_HTML_CHARS if html else MAX_INPUT_CHARS
        for stage in stages_for(html):
            worst = None
            for shape in shapes:
                n = html_size(shape) if html else TEXT_N
                finding = stage_growth(stage, shape, n, rounds=2)
                if finding.growth is not None and (worst is None or finding.ratio > worst.ratio):
                    worst = finding
            assert worst is not None
            largest = "–"
            if stage.whole:
                cpu, name = max(
                    (cpu_seconds(stage, shape.build(limit)[:limit]), shape.name) for shape in shapes
                )
                largest = f"{cpu:.2f} s ({name})"
            rows.append(
                f"| {'HTML' if html else 'text'} | {stage.name} | {len(shapes)} | "
                f"x{worst.ratio:.1f} ({worst.shape}, n = {worst.n:,}) | {largest} |"
            )
            print(rows[-1], flush=True)
    return rows


def section(rows: list[str], stride: int) -> str:
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = (
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores"
    )
    return "\n".join(
        [
            MARK,
            "",
            "## Complexity: every stage on generated hostile shapes",
            "",
            f"Written by `python -m benchmarks.complexity --stride {stride}` (one shape in "
            f"{stride}) "
            f"({when}, {machine}; timings of a shared machine). Each stage of a client's text "
            f"is timed on each generated shape (benchmarks/complexity/shapes.py) at n and "
            f"{GROWTH}n characters (text n = {TEXT_N:,}; pages n = 8,000, and for nested pages "
            "32,000 or 128,000, past the nesting caps of libxml2 and the sanitizer, below which "
            "work grows with depth up to a fixed cap): a linear stage grows about "
            f"x{GROWTH}, a quadratic one x{GROWTH * GROWTH}; the target is at most x{MAX_RATIO:g}. "
            "The whole paths are also run once at the largest allowed input (300,000 characters "
            f"of text, a 3,000,000-character page): the target is at most {CPU_TARGET:g} s of "
            "CPU (met for text; pages of thousands of table rows take longer, so the test bounds "
            "pages at 4 s). tests/summarizer/test_complexity.py asserts the growth on every shape "
            "(every stage: slow), that every regular expression on client text grows linearly "
            "on the representative shapes, and the CPU bounds. The sweep of every regular "
            "expression over every shape (``regex_sweep(1000)``, over 10 minutes here) is not in "
            "the suite: it still flags sanitize's tag-internal patterns on runs of / or spaces.",
            "",
            *rows,
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=None, help="write the section alone here")
    parser.add_argument(
        "--stride", type=int, default=1, help="time one shape in this many (1: every shape)"
    )
    args = parser.parse_args()
    text = section(measure(args.stride), args.stride)
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
        return
    doc = DOC.read_text(encoding="utf-8")
    head = doc.split(MARK)[0].rstrip("\n")
    DOC.write_text(f"{head}\n\n{text}", encoding="utf-8")
    print(f"wrote {DOC}")


if __name__ == "__main__":
    main()

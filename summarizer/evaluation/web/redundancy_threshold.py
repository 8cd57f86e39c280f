"""How often two nearby sentences of a true body share content words, by threshold.

``python -m summarizer.evaluation.web.redundancy_threshold ../shared/eval/web/dev.jsonl.gz``
prints, for each threshold, the share of sentence pairs at most three sentences apart in the
dev pages' true bodies whose content-word overlap (``summarizer.text.redundancy.overlap``)
reaches it. An article does not state one fact twice in a row, so the threshold for
"redundant" is the lowest one such pairs reach about 1 time in 200 (0.6: 0.52% of them).
"""

from __future__ import annotations

import argparse

from summarizer.evaluation.web.measures import body_lines, split_line
from summarizer.evaluation.web.pages import load_pages
from summarizer.text.redundancy import content_words, overlap

THRESHOLDS = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
DISTANCE = 3


def nearby_overlaps(path: str) -> list[float]:
    """The overlap of every pair of true-body sentences at most ``DISTANCE`` apart."""
    values = []
    for page in load_pages(path):
        if not page.body:
            continue
        sentences = [s for line in body_lines(page.body) for s in split_line(line)]
        bags = [content_words(s, page.lang) for s in sentences]
        for i, bag in enumerate(bags):
            values.extend(overlap(bag, other) for other in bags[i + 1 : i + 1 + DISTANCE])
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", help="web pages JSONL(.gz) with true bodies")
    values = nearby_overlaps(parser.parse_args().pages)
    print(f"{len(values):,} pairs of nearby true-body sentences")
    print("| overlap >= | share of pairs % |\n|---|---|")
    for threshold in THRESHOLDS:
        share = 100 * sum(v >= threshold for v in values) / len(values)
        print(f"| {threshold:.1f} | {share:.2f} |")


if __name__ == "__main__":
    main()

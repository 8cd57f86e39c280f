"""A photo caption written as a sentence is told apart by the credit that closes it."""

from __future__ import annotations

import gzip
import json
import time

import pytest

from summarizer.text.blocks import Block
from summarizer.text.captions import credited_caption, mark_captions
from summarizer.text.sentences import split_sentences
from tests.conftest import SHARED_EVAL

WEB_DEV = SHARED_EVAL / "web" / "dev.jsonl.gz"
CNNDM = SHARED_EVAL / "dev.jsonl"


@pytest.mark.parametrize(
    "line",
    [
        "The core stage after the installation of its engines. (credit: NASA/Jude Guidry)",
        "Demonstrators march in Hong Kong on Sunday. (AP Photo/Vincent Yu)",
        "Der Kanzler spricht am Montag in Berlin. (Foto: dpa/Kay Nietfeld)",
        "习近平在北京出席会议。(新华社/李学仁)",
    ],
)
def test_a_caption_closed_by_a_credit_is_a_caption(line: str) -> None:
    assert credited_caption(line)
    marked = mark_captions([Block("paragraph", line), Block("paragraph", "Prose goes on here.")])
    assert [b.kind for b in marked] == ["caption", "paragraph"]


@pytest.mark.parametrize(
    "line",
    [
        "Get Dashlane Password Manager for Free (Upgrade to Premium for $4.99/mo)",
        "The plan costs $4.99 a month (or $49.99/year), the company said.",
        "He was born in 1950. (He died in 2010.)",
    ],
)
def test_prose_is_not_a_credited_caption(line: str) -> None:
    assert not credited_caption(line)


@pytest.mark.skipif(not WEB_DEV.is_file() or not CNNDM.is_file(), reason="no evaluation data")
def test_no_true_body_line_is_a_credited_caption() -> None:
    with gzip.open(WEB_DEV, "rt", encoding="utf-8") as f:
        lines = [line for p in map(json.loads, f) if p["body"] for line in p["body"].split("\n")]
    with CNNDM.open(encoding="utf-8") as f:
        lines += [s for row in map(json.loads, f) for s in split_sentences(row["article"])]
    assert [line for line in lines if credited_caption(line)] == []


def test_only_the_end_of_a_line_is_read() -> None:
    def seconds(text: str) -> float:
        began = time.perf_counter()
        for _ in range(20):
            credited_caption(text)
        return time.perf_counter() - began

    unit = "(a/b " * 5 + "x. "
    assert seconds(unit * 40_000) < 4 * max(seconds(unit * 10_000), 1e-5) + 0.01

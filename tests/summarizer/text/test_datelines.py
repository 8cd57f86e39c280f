"""A dateline or time stamp run into the first sentence is cut off, in any language."""

from __future__ import annotations

import time

import pytest

from summarizer.engines.extractive import clean_sentences
from summarizer.text.datelines import strip_dateline

SENTENCE = "The Senate voted on Tuesday to approve the bill after a long debate."


@pytest.mark.parametrize(
    ("glued", "sentence"),
    [
        (f"Updated 11:08 AM ET, Tue November 19, 2019 {SENTENCE}", SENTENCE),
        (f"MOSCOW, Nov 19 (Reuters) - {SENTENCE}", SENTENCE),
        (f"NEW YORK, Nov 19 (Reuters) – {SENTENCE}", SENTENCE),
        ("PARIS, 19 novembre 2019 (AFP) - Le Sénat a voté la loi.", "Le Sénat a voté la loi."),
        ("МОСКВА, 19 ноября (Рейтер) - Кремль заявил во вторник.", "Кремль заявил во вторник."),
        ("Publié à 11h08 le 19/11/2019 Le Sénat a voté la loi.", "Le Sénat a voté la loi."),
    ],
)
def test_a_dateline_run_into_the_sentence_is_cut_off(glued: str, sentence: str) -> None:
    assert strip_dateline(glued) == sentence
    assert clean_sentences([glued]) == [sentence]


@pytest.mark.parametrize(
    "sentence",
    [
        SENTENCE,
        "The vote at 11:08 on November 19, 2019 was close, the clerk said.",
        "Paris, the capital (of France) - It is big.",  # no place in capitals
        "Moscow, Nov 19 (Reuters) - The Kremlin said on Tuesday.",
        "At 11:08 the clock stopped, in 2019, and nobody noticed.",
    ],
)
def test_a_sentence_without_a_dateline_is_left_alone(sentence: str) -> None:
    assert strip_dateline(sentence) == sentence


@pytest.mark.parametrize("unit", ["11:08 ", "A, (", "AB, 1 (x) - ", "2019 "])
def test_only_the_head_is_read(unit: str) -> None:
    def seconds(text: str) -> float:
        best = float("inf")
        for _ in range(3):
            began = time.perf_counter()
            strip_dateline(text)
            best = min(best, time.perf_counter() - began)
        return best

    small, large = unit * 10_000, unit * 40_000
    assert seconds(large) < 4 * max(seconds(small), 1e-5)

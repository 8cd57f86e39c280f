"""Unicode tokens and word counts: every script has words, and budgets mean the same everywhere."""

from __future__ import annotations

import math

import pytest

from summarizer.text.tokens import CHARS_PER_WORD, count_words, tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Москва — СТОЛИЦА России.", ["москва", "столица", "россии"]),
        ("Η Αθήνα είναι πόλη.", ["η", "αθήνα", "είναι", "πόλη"]),
        ("مرحبا بالعالم", ["مرحبا", "بالعالم"]),
        ("שלום עולם", ["שלום", "עולם"]),
        ("엘제이의 리벤지인가", ["엘제이의", "리벤지인가"]),
        ("Straße, don't STOP", ["strasse", "don't", "stop"]),
    ],
)
def test_spaced_scripts_have_casefolded_words(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


def test_unspaced_scripts_are_character_bigrams() -> None:
    # Chinese and Japanese have no spaces: without bigrams a sentence would have no terms at all.
    assert tokens("北京天气") == ["北京", "京天", "天气"]
    assert tokens("iPhoneを販売") == ["iphone", "を販", "販売"]
    assert tokens("日") == ["日"]


def test_cjk_counts_characters_per_word() -> None:
    sentence = "東京都は十二日、新型コロナウイルスの感染者を確認したと発表した。"
    han_and_kana = sum(ch not in "、。" for ch in sentence)
    assert count_words(sentence) == math.ceil(han_and_kana / CHARS_PER_WORD["cjk"])
    # A 40-character Chinese sentence is about as long as a 20-word English one.
    assert count_words("天" * 40) == 20
    assert count_words("天" * 40) != len(("天" * 40).split())


def test_thai_counts_letters_per_word_and_digits_count_once() -> None:
    assert count_words("ก" * 40) == 40 / CHARS_PER_WORD["southeast_asian"]
    assert count_words("東京都は12日") == 1 + math.ceil(5 / CHARS_PER_WORD["cjk"])


def test_spaced_words_are_what_the_spaces_delimit() -> None:
    # The same count as before the change for English: "U.S." and "2,000" are one word each,
    # a lone dash none.
    assert count_words("The U.S. sent 2,000 troops — officials said.") == 7
    assert count_words("Москва — столица России.") == 3
    assert count_words("") == 0


def test_undecodable_characters_still_count_as_text() -> None:
    # A model that emits broken bytes writes replacement characters: that text has a length, so
    # map-reduce sees its partial summaries as too long and reduces them (never "0 words").
    assert count_words("\ufffd\ufffd\ufffd") == 1
    assert count_words("\ufffd\ufffd \ufffd, — ok") == 3

"""Stopwords of the article's language leave the extractive engine's scoring terms."""

from __future__ import annotations

from summarizer.engines.extractive import ExtractiveEngine
from summarizer.text.stopwords import ENGLISH, stopwords


def test_each_language_gets_its_own_function_words_and_english_stays_as_tuned() -> None:
    assert {"und", "der", "die", "nicht"} <= stopwords("de")
    assert {"и", "в", "не"} <= stopwords("ru")
    assert {"que", "não"} <= stopwords("pt")
    assert stopwords("en") == ENGLISH == stopwords(None)
    assert stopwords("xx") == ENGLISH  # a code with no list: English only, never an error
    assert "said" in ENGLISH  # news repeats it in every sentence


def test_only_entries_that_are_one_scoring_term_are_kept() -> None:
    # Punctuation and multi-term entries of the lists could never match a term.
    assert all(word.isalnum() or "'" in word or "’" in word for word in stopwords("ko"))
    assert all(len(word) <= 2 for word in stopwords("zh") - ENGLISH)  # one character or a bigram


GERMAN = [
    # Shares only function words with the other sentences.
    "Und der die das ist nicht mit dem auf den für von zu sich auch noch so wie.",
    "Der Stadtrat beschloss den Haushalt mit neuen Bussen für die Stadt.",
    "Die neuen Busse fahren ab Mai durch die Stadt, sagte der Stadtrat.",
    "Der Haushalt der Stadt bringt neue Busse und mehr Geld für Brücken.",
]


def test_a_sentence_of_german_function_words_is_no_candidate_and_no_part_of_the_centre() -> None:
    engine = ExtractiveEngine()
    candidates, _, vectors = engine.scores(GERMAN, language="de")
    assert candidates == [1, 2, 3]  # nothing left of sentence 0 but stopwords
    assert not any(term in vector for vector in vectors for term in ("der", "die", "für"))
    # With English stopwords only, the German function words were scoring terms.
    candidates, _, vectors = engine.scores(GERMAN)
    assert candidates == [0, 1, 2, 3]
    assert all("der" in vector for vector in vectors)

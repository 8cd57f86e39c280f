"""One fact told once: content-word overlap relative to the shorter sentence."""

from __future__ import annotations

from summarizer import Summarizer
from summarizer.text.redundancy import CONTENT_OVERLAP, content_words, overlap, restates

LEAD = (
    "Apple plans to release a new 13-inch MacBook Pro with a scissor switch keyboard in the "
    "first half of 2020, according to industry sources."
)
PARAPHRASE = (
    "According to sources in the industry, a 13-inch MacBook Pro with a new scissor switch "
    "keyboard will be released by Apple in the first half of 2020."
)
OTHERS = [
    "The report claims the display size will remain 13.3 inches, although a larger display "
    "cannot be ruled out completely.",
    "Wistron and Global Lighting Technologies are said to be among the suppliers of the "
    "keyboards for the smaller notebook.",
    "The entry-level model was last updated in July, while higher-end models were refreshed "
    "in May of this year.",
]


def test_a_paraphrase_restates_and_another_fact_does_not():
    lead, paraphrase = content_words(LEAD, "en"), content_words(PARAPHRASE, "en")
    assert restates(lead, paraphrase)
    for other in OTHERS:
        assert overlap(lead, content_words(other, "en")) < CONTENT_OVERLAP


def test_stopwords_do_not_count_and_tiny_sentences_never_restate():
    assert "the" not in content_words(LEAD, "en") and "apple" in content_words(LEAD, "en")
    assert not restates(content_words("He said so.", "en"), content_words("So he said.", "en"))
    german = content_words("Die Regierung hat das Gesetz am Montag beschlossen.", "de")
    assert "die" not in german and "regierung" in german


def test_a_summary_does_not_tell_one_fact_twice():
    text = "\n".join([LEAD, PARAPHRASE, *OTHERS])
    sentences = Summarizer.load("extractive").summarize(text, length="medium").sentences
    assert (LEAD in sentences) + (PARAPHRASE in sentences) == 1
    assert len(sentences) >= 2


def test_the_engine_skips_a_candidate_that_restates_a_chosen_one():
    from summarizer.engines.extractive import ExtractiveEngine
    from summarizer.options import SummaryOptions

    sentences = [LEAD, PARAPHRASE, *OTHERS]
    picked = ExtractiveEngine().rank(sentences, SummaryOptions.of(length="medium"), "en")
    assert 0 in picked and 1 not in picked and len(picked) == 3


def test_the_content_index_answers_as_the_pairwise_test():
    from summarizer.text.redundancy import ContentIndex

    bags = [content_words(s, "en") for s in [LEAD, *OTHERS]]
    index = ContentIndex()
    for bag in bags:
        index.add(bag)
    for sentence in [PARAPHRASE, *OTHERS, "He said so.", "A new keyboard ships in 2020."]:
        words = content_words(sentence, "en")
        assert index.restates(words) == any(restates(words, bag) for bag in bags), sentence

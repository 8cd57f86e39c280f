"""The reading measures of issue #27 (quotation fragments, content-redundant pairs) on
hand-made cases, and in the tables that ``summarizer eval`` writes."""

from __future__ import annotations

from summarizer.evaluation.reading import QuoteContext, quote_fragments, redundant_pairs
from summarizer.evaluation.web import PageMeasures
from summarizer.evaluation.web.report import HEADER

BODY = "\n".join(
    [
        "Chargers coach Anthony Lynn says the loss to the Chiefs on Monday ended his team's hopes.",
        "“Yes, we needed to win this game today. I felt like we could control our own destiny.”",
        "Lynn said the team has enough to win next week, but it needs help from other results.",
    ]
)


def test_a_piece_of_a_quotation_is_a_fragment_whatever_its_own_marks():
    context = QuoteContext(BODY)
    assert quote_fragments(["“Yes, we needed to win this game today."], context) == 1
    # No mark of its own, but it stands inside the quotation in the body.
    assert quote_fragments(["I felt like we could control our own destiny.”"], context) == 1
    assert quote_fragments(["I felt like we could control our own destiny."], context) == 1
    whole = "“Yes, we needed to win this game today. I felt like we could control our own destiny.”"
    assert quote_fragments([whole, BODY.split("\n")[0]], context) == 0
    assert quote_fragments(["« C'est bon.", "「雨。」", "„Gut.“"]) == 1


def test_one_fact_told_twice_is_a_redundant_pair():
    lead = "Apple will release a new 13-inch MacBook Pro with a scissor keyboard in early 2020."
    paraphrase = "A 13-inch MacBook Pro with a scissor keyboard is coming from Apple in 2020."
    other = "Wistron and Global Lighting are said to be among the suppliers of the keyboards."
    assert redundant_pairs([lead, paraphrase, other], "en") == 1
    assert redundant_pairs([lead, other], "en") == 0


def test_page_scores_and_tables_carry_the_reading_measures():
    measures = PageMeasures.of(BODY, ["Lynn: we needed to win"], "en")
    row = measures.score(["“Yes, we needed to win this game today.", BODY.split("\n")[2]])
    assert row["quote_fragment"] is True and row["redundant"] is False
    assert "quote frag %" in HEADER and "redundant %" in HEADER

import json

import pytest

from summarizer.evaluation import Rouge, sentence_lines
from tests.summarizer.evaluation.conftest import TESTVECTORS, needs_testvectors


def _cases():
    path = TESTVECTORS / "expected.json"
    if not path.is_file():
        return []
    return json.loads(path.read_text())["cases"]


def _text(case, kind):
    if f"{kind}_file" not in case:
        return case[kind]
    text = (TESTVECTORS / case[f"{kind}_file"]).read_text(encoding="utf-8")
    if f"{kind}_line" in case:
        return text.split("\n")[case[f"{kind}_line"]]
    return text


@needs_testvectors
@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["name"])
def test_wrapper_matches_reference_test_vectors(case):
    rouge = Rouge(case["types"], use_stemmer=case["use_stemmer"])
    references = case["targets"] if "targets" in case else [_text(case, "target")]
    scores = rouge.score(_text(case, "prediction"), references, split=False)
    places = 5 if case.get("rouge155") else 6
    for rouge_type, expected in case["expect"].items():
        for measure, value in expected.items():
            got = getattr(scores[rouge_type], measure)
            assert got == pytest.approx(value, abs=10**-places), (rouge_type, measure)


@needs_testvectors
def test_all_test_vector_cases_are_checked():
    assert len(_cases()) >= 20


def test_lsum_scores_sentences_on_separate_lines():
    rouge = Rouge(["rougeLsum"])
    reference = "First sentence.\nSecond sentence."
    swapped = ["Second sentence.", "First sentence."]
    # the wrapper lays sentences out one per line: Lsum sees both sentences match
    assert rouge.score(swapped, reference)["rougeLsum"].fmeasure == pytest.approx(1.0)
    # a one-line text is split into sentences before scoring, giving the same result
    assert rouge.score(" ".join(swapped), reference)["rougeLsum"].fmeasure == pytest.approx(1.0)
    # the classic mistake, scoring one long line, gives plain ROUGE-L instead
    one_line = rouge.score(" ".join(swapped), reference.replace("\n", " "), split=False)
    assert one_line["rougeLsum"].fmeasure == pytest.approx(0.5)


def test_multi_reference_takes_the_best_reference():
    rouge = Rouge()
    prediction = "The council approved the budget on Monday."
    good, bad = "The council approved the budget.", "Storms closed the airport."
    both = rouge.f1(prediction, [bad, good])
    assert both == pytest.approx(rouge.f1(prediction, [good]))
    assert both["rouge1"] > rouge.f1(prediction, [bad])["rouge1"]


def test_stemming_is_on_by_default():
    assert Rouge().f1("Dogs running.", "Dog runs.")["rouge1"] == pytest.approx(100.0)
    assert Rouge(use_stemmer=False).f1("Dogs running.", "Dog runs.")["rouge1"] == 0.0


def test_sentence_lines_layouts():
    assert sentence_lines(["One.", " ", "Two."]) == "One.\nTwo."
    assert sentence_lines("- One.\n- Two.") == "One.\nTwo."  # bullets format
    assert sentence_lines("One sentence here. Another one there.").count("\n") == 1
    assert sentence_lines("") == ""


def test_lsum_splits_each_line_of_a_multi_line_prediction_into_sentences():
    # a function returning paragraphs: each line holds several sentences
    paragraphs = "The driver fled. Police arrived later.\nA court fined him."
    sentences = ["The driver fled.", "Police arrived later.", "A court fined him."]
    assert sentence_lines(paragraphs) == "\n".join(sentences)
    rouge = Rouge(["rougeLsum"])
    reference = "Police arrested the driver.\nA court fined him."
    by_paragraph = rouge.score(paragraphs, reference)["rougeLsum"]
    assert by_paragraph == rouge.score(sentences, reference)["rougeLsum"]
    # scoring the first paragraph as one sentence would find only "the driver" in order
    one_per_paragraph = rouge.score(paragraphs, reference, split=False)["rougeLsum"]
    assert by_paragraph.recall > one_per_paragraph.recall


def test_multi_line_references_keep_one_highlight_per_line():
    highlights = "Police arrested the driver. He fled.\nA court fined him."
    assert sentence_lines(highlights, split_lines=False) == highlights
    rouge = Rouge(["rougeLsum"])
    prediction = ["He fled.", "Police arrested the driver.", "A court fined him."]
    assert rouge.score(prediction, highlights) == rouge.score(prediction, highlights, split=False)

"""The web-page measures on hand-made cases whose answers follow from shared/eval/web/README.md."""

from __future__ import annotations

import pytest

from summarizer.evaluation.web import (
    Body,
    PageMeasures,
    begins_with_title,
    contains_snippet,
    has_duplicate,
    lead_sentences,
    squash,
    title_candidates,
    tokens,
    unigram_f1,
)

BODY = "\n".join(
    [
        "The city council approved the new budget on Tuesday after a long debate.",
        "Spending on schools rises by four percent, the mayor said in a statement.",
        "Parks and libraries",  # a subhead: short, no end mark
        "Opponents argued that the plan would raise property taxes for most families. "
        "They promised to fight it at the next election.",
        "The budget takes effect in January and runs for two years.",
    ]
)
TITLE = "Council approves new city budget after long debate"


def test_tokens_are_nfkc_casefolded_letters_and_digits_of_any_script():
    assert tokens("ＡＢＣ, Straße ﬁne!") == ["abc", "strasse", "fine"]
    assert tokens("snake_case 3.5") == ["snake", "case", "3", "5"]
    assert tokens("Привет, мир") == ["привет", "мир"]
    # CJK and Thai: one character a token, even next to Latin letters.
    assert tokens("東京Tower한국") == ["東", "京", "tower", "한", "국"]
    assert tokens("ภาษา") == ["ภ", "า", "ษ", "า"]
    # A combining vowel sign stays with its letter.
    assert tokens("हिन्दी भाषा") == ["हिन्दी", "भाषा"]
    assert squash("Hello, World!") == "helloworld"


def test_a_sentence_is_found_as_a_substring_after_squashing():
    body = Body(BODY)
    assert body.contains("the CITY council approved the new budget, on Tuesday")
    assert body.contains("takes effect in January")
    assert not body.contains("The council rejected the new budget on Tuesday.")


def test_a_sentence_with_90_percent_of_its_tokens_in_order_in_one_window_is_found():
    words = "one two three four five six seven eight nine ten".split()
    body = Body("Intro words here. " + " ".join(words) + " and the rest of it.")
    changed = [*words[:4], "CHANGED", *words[5:]]  # 9 of 10 in order
    assert body.window_match([t.lower() for t in changed]) == pytest.approx(0.9)
    assert body.contains(" ".join(changed))
    two_changed = [*words[:3], "X", "Y", *words[5:]]  # 8 of 10
    assert not body.contains(" ".join(two_changed))
    # One extra word inside the body's run (the summary dropped it) still fits the window.
    assert Body(" ".join([*words[:5], "extra", *words[5:]])).contains(" ".join(words))


def test_tokens_out_of_order_or_scattered_over_the_body_are_not_found():
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa".split()
    assert not Body(" ".join(reversed(words))).contains(" ".join(words))
    filler = " ".join(f"w{i}" for i in range(30))
    scattered = Body(f" {filler} ".join(words))  # every token present, never in one window
    assert not scattered.contains(" ".join(words))


def test_a_headline_glued_to_the_first_sentence_starts_with_the_title():
    titles = title_candidates([f"{TITLE} | The Daily Planet"])
    glued = f"{TITLE} The city council approved the new budget on Tuesday after a long debate."
    assert begins_with_title(glued, titles)
    assert begins_with_title(TITLE, titles)
    assert not begins_with_title(BODY.split("\n")[1], titles)
    page = PageMeasures.of(BODY, [f"{TITLE} | The Daily Planet"])
    row = page.score([glued])
    assert row["starts_with_title"] and not row["in_body"]


def test_site_names_are_split_off_title_variants():
    titles = title_candidates(["The Daily Planet - Council approves budget"])
    assert tokens("Council approves budget") in titles
    assert begins_with_title("Council approves budget: what it means for you", titles)
    # Without the split, 3 of the 6 tokens would not reach 80%.
    whole = [tokens("The Daily Planet Council approves budget")]
    assert not begins_with_title("Council approves budget: what it means", whole)


def test_a_sentence_found_in_the_body_never_counts_as_starting_with_the_title():
    body = f"{TITLE} was the word on every street. Then the mayor spoke."
    page = PageMeasures.of(body, [TITLE])
    row = page.score([f"{TITLE} was the word on every street."])
    assert row["in_body"] and not row["starts_with_title"]


def test_dup_is_a_jaccard_of_token_sets_of_0_8_or_more():
    assert has_duplicate(["a b c d e.", "Other words here.", "A b c d!"])  # 4/5 = 0.8
    assert not has_duplicate(["a b c d.", "a b c."])  # 3/4
    assert not has_duplicate(["a b c d e."])
    assert not has_duplicate(["", "..."])


def test_lead_skips_subheads_and_splits_lines_into_sentences():
    lead = lead_sentences(BODY)
    assert lead == [
        BODY.split("\n")[0],
        BODY.split("\n")[1],
        "Opponents argued that the plan would raise property taxes for most families.",
    ]
    assert lead_sentences("一文目です。二文目です！三文目。四文目。") == [
        "一文目です。",
        "二文目です！",
        "三文目。",
    ]
    # A body of short lines only (a list of dates) keeps its first lines as the lead.
    assert lead_sentences("Stage 1: March\nStage 2: April\nStage 3: May\nStage 4: June") == [
        "Stage 1: March",
        "Stage 2: April",
        "Stage 3: May",
    ]


def test_lead_3_of_the_body_is_the_readme_sanity_point():
    page = PageMeasures.of(BODY, [TITLE])
    row = page.score(lead_sentences(BODY))
    assert row == {
        "missing": False,
        "sentences": 3,
        "sentences_in_body": 3,
        "one_sentence": False,
        "in_body": True,
        "starts_with_title": False,
        "dup": False,
        "quote_fragment": False,
        "redundant": False,
        "lead_overlap": pytest.approx(100.0),
    }
    later = page.score(["The budget takes effect in January and runs for two years."])
    assert later["in_body"] and later["one_sentence"] and later["lead_overlap"] < 30


def test_unigram_f1():
    assert unigram_f1(["a", "b"], ["a", "b"]) == pytest.approx(100)
    assert unigram_f1(["a", "b"], ["a", "c"]) == pytest.approx(50)
    assert unigram_f1([], ["a"]) == 0


def test_no_summary_is_missing():
    page = PageMeasures.of(BODY, [TITLE])
    assert page.score(None)["missing"]
    assert page.score(["  "])["missing"]
    assert not page.score(["The budget takes effect in January."])["missing"]


def test_snippets_are_compared_squashed():
    assert contains_snippet(["Read more: Weitere Artikel."], ["weitere  artikel"])
    assert not contains_snippet(["Die 18-Jährige hat sich eingeschrieben."], ["Weitere Artikel"])

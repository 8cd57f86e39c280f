from summarizer.sentence_fit import drop_unfinished, ends_sentence, fit_to_words, render


def test_a_fragment_cut_by_the_token_limit_is_dropped():
    generated = [
        "The bridge closes on Monday.",
        "Ferries run every ten",
    ]
    assert drop_unfinished(generated) == ["The bridge closes on Monday."]
    # With nothing whole to fall back on, the model's text is kept rather than emptied.
    assert drop_unfinished(["Ferries run every ten"]) == ["Ferries run every ten"]


def test_closing_quotes_and_brackets_still_end_a_sentence():
    assert ends_sentence('He said: "We will rebuild."')
    assert ends_sentence("(It reopens in May.)")
    assert not ends_sentence("It reopens in")


def test_word_budget_keeps_whole_sentences_only():
    sentences = ["One two three four.", "Five six seven.", "Eight nine ten eleven twelve."]
    assert fit_to_words(sentences, 7) == sentences[:2]
    assert fit_to_words(sentences, 6) == sentences[:1]
    # A first sentence over budget is kept whole, never cut mid-sentence.
    assert fit_to_words(sentences, 2) == sentences[:1]


def test_layouts():
    assert render(["A.", "B."], "paragraph") == "A. B."
    assert render(["A.", "B."], "bullets") == "- A.\n- B."


def test_near_duplicates_are_found_in_any_script_and_by_containment():
    from summarizer.sentence_fit import near_duplicate

    assert near_duplicate("The bridge closes on Monday.", "the bridge closes on monday!")
    assert near_duplicate(
        "People who have never been divorced can expect a retirement income 13% higher.",
        "People who have never been divorced can expect a retirement income 13 per cent "
        "higher than a colleague who has been through a divorce.",
    )
    assert near_duplicate(
        "北部で大雨が降り、道路が通行止めになった。", "北部で大雨が降り道路が通行止めになった"
    )
    assert not near_duplicate("The bridge closes on Monday.", "The bridge reopens in May.")
    assert not near_duplicate("He said.", "He said it was raining all day long in the city.")


def test_a_paragraph_never_runs_a_line_without_final_punctuation_into_the_next():
    from summarizer.sentence_fit import tidy

    picked = [
        "New SUVs highlight the Auto Show",
        "New electric vehicles fill the halls.",
        "New electric vehicles fill the halls!",
        "Prices start at $30,000.",
    ]
    assert tidy(picked, "paragraph") == [picked[1], picked[3]]
    assert render(tidy(picked, "paragraph"), "paragraph") == (
        "New electric vehicles fill the halls. Prices start at $30,000."
    )
    # bullets show each line on its own, still without the repeat
    assert tidy(picked, "bullets") == [picked[0], picked[1], picked[3]]
    # the last sentence may lack a mark (a model's summary), and one line is never emptied
    assert tidy(["It rained.", "Roads closed"], "paragraph") == ["It rained.", "Roads closed"]
    assert tidy(["Roads closed"], "paragraph") == ["Roads closed"]

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

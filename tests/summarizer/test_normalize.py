"""normalize_text and prepare refuse text that is not valid Unicode and drop bidi controls."""

from __future__ import annotations

import pytest

from summarizer import InputError, Summarizer
from summarizer.text import normalize_text, prepare


@pytest.mark.hostile("library", "A lone surrogate in the text is refused with InputError.")
@pytest.mark.parametrize("fmt", ["text", "html", "auto"])
def test_a_lone_surrogate_is_an_input_error_before_any_parser(fmt):
    raw = "<p>bad \ud800 x. Words in a sentence here.</p>" if fmt != "text" else "bad \udfff x."
    with pytest.raises(InputError, match=r"lone surrogate U\+D[8F]"):
        prepare(raw, fmt)
    with pytest.raises(InputError, match="not valid Unicode"):
        normalize_text("ok \udc80")


def test_the_library_and_its_batch_call_name_the_bad_article(articles):
    summarizer = Summarizer.load("extractive")
    with pytest.raises(InputError, match="article 1: input is not valid Unicode"):
        summarizer.summarize_batch([articles[0], articles[1] + " \ud800"])


@pytest.mark.hostile("library", "Bidi control characters never reach a summary.")
def test_bidi_controls_are_removed_and_other_text_kept():
    controls = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    text = f"Pay {controls[4]}0001${controls[2]} now. \u05e9\u05dc\u05d5\u05dd {controls[5:]}world."
    clean = normalize_text(text)
    assert not any(ch in clean for ch in controls)
    assert clean == "Pay 0001$ now. \u05e9\u05dc\u05d5\u05dd world."
    summary = Summarizer.load("extractive").summarize(text * 5).text
    assert summary and not any(ch in summary for ch in controls)

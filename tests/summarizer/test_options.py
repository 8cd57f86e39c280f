import pytest

from summarizer.errors import OptionsError
from summarizer.options import SummaryOptions


def test_min_above_max_is_a_clear_error():
    with pytest.raises(OptionsError, match=r"min_words \(50\) is above max_words \(10\)"):
        SummaryOptions(min_words=50, max_words=10)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"length": "tiny"},
        {"format": "html"},
        {"max_words": 0},
        {"max_words": 5000},
        {"max_words": True},
        {"min_words": 2.5},
    ],
)
def test_out_of_range_options_are_refused(kwargs):
    with pytest.raises(OptionsError):
        SummaryOptions(**kwargs)


def test_explicit_words_override_the_preset():
    assert SummaryOptions(length="short", max_words=200).word_range == (8, 200)
    assert SummaryOptions(length="long", max_words=20).word_range == (20, 20)


def test_presets_grow():
    ranges = [SummaryOptions(length=n).word_range for n in ("short", "medium", "long")]
    assert ranges == sorted(ranges)
    assert SummaryOptions(length="short").sentence_budget == 1

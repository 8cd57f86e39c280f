import json

import pytest

from summarizer import Summarizer
from summarizer.cache.keys import cache_key
from summarizer.errors import OptionsError
from summarizer.options import OPTION_NAMES, SummaryOptions


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
    # An explicit min_words above the preset's maximum raises it (it was silently cut to 40).
    assert SummaryOptions(length="short", min_words=100).word_range == (100, 200)
    assert SummaryOptions(length="short", min_words=900).word_range == (900, 1000)
    assert SummaryOptions(length="medium", min_words=30).word_range == (30, 90)


def test_presets_grow():
    ranges = [SummaryOptions(length=n).word_range for n in ("short", "medium", "long")]
    assert ranges == sorted(ranges)
    assert SummaryOptions(length="short").sentence_budget == 1


# -- one canonical serialisation ------------------------------------------------------------------

CHANGED = {  # a different valid value for every option
    "length": "long",
    "max_words": 31,
    "min_words": 9,
    "format": "bullets",
    "language": "fr",
}


def test_every_option_has_a_changed_value_here():
    assert set(CHANGED) == set(OPTION_NAMES)  # a new option must be added to these tests


def test_equal_options_made_different_ways_have_one_key():
    from api.schemas import SummaryRequest

    made = [
        SummaryOptions(length="short", max_words=30, language="de"),
        SummaryOptions.of(max_words=30, language="DE", length="short"),
        SummaryOptions.of(
            **{"language": "de-AT", "min_words": None, "length": "short", "max_words": 30}
        ),
        SummaryRequest(text="x", max_words=30, length="short", language="de").to_options(),
    ]
    assert len({o.key() for o in made}) == 1
    assert len({json.dumps(o.as_dict()) for o in made}) == 1
    assert list(made[0].as_dict()) == sorted(OPTION_NAMES)  # sorted, every option
    assert json.loads(made[0].key()) == made[0].as_dict()


@pytest.mark.parametrize("name", sorted(CHANGED))
def test_changing_any_one_option_changes_every_key(name):
    from api.service import SummaryService

    base = SummaryOptions(length="short", max_words=30, min_words=5, language="de")
    changed = SummaryOptions.of(**{**base.as_dict(), name: CHANGED[name]})
    assert changed.key() != base.key()
    assert SummaryService.item_fingerprint("a", "text", changed) != SummaryService.item_fingerprint(
        "a", "text", base
    )
    summarizer = Summarizer.load("extractive")
    doc = summarizer.prepare("The council met on Monday. It approved the budget.", "text")
    if name != "language":  # the article's language is in the key, however it was known
        assert summarizer.cache_key(doc, changed) != summarizer.cache_key(doc, base)


def test_the_cache_key_on_disk_is_the_one_before_options_had_one_serialisation():
    # Digests written by the code before this change (dataclasses.asdict of the options with
    # the article's language), so a cache filled by an older release keeps serving.
    assert (
        cache_key("The council met.", "engine:model", SummaryOptions().applied("de"))
        == "5dd06995fa2658db1563bd797d8c4963bb138df8fad9e766242a0508575eaf5c"
    )
    options = SummaryOptions(length="short", max_words=30, min_words=10, format="bullets")
    assert (
        cache_key("The council met.", "engine:model", options.applied("de"))
        == "5b2c4c3e48b3620b5b04e509d3c4afcea785a28925b505e68ed8172013cd13d7"
    )


def test_of_refuses_unknown_names_and_mixing():
    with pytest.raises(OptionsError, match="unknown summary option lenght"):
        SummaryOptions.of(lenght="short")
    with pytest.raises(TypeError, match="not both"):
        SummaryOptions.of(SummaryOptions(), length="short")
    with pytest.raises(TypeError, match="must be SummaryOptions"):
        SummaryOptions.of("short")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not both"):
        Summarizer.load("extractive").summarize("A sentence.", SummaryOptions(), length="short")

"""Real article pages (tests/data/pages/, attribution in its README) through the whole library:
the summary is made of the article's own body sentences, never its headline, captions, hover
cards or print-only notices."""

from __future__ import annotations

import pytest

from summarizer import Summarizer
from summarizer.sentence_fit import near_duplicate
from summarizer.text import prepare
from tests.real_pages import in_body, load_page, page_bytes, starts_with_title

FULL_BODY_PAGES = [
    "sh-05844573ca",  # ctpost: headline glued to the first sentence in the old flat text
    "sh-db6b0816c6",  # chron: one gallery caption three times, and a "less" button label
    "sh-156770d676",  # The Hill: hover cards with a politician's bio inside the first sentence
    "sh-f8ff621a0b",  # Barron's: a print-only reprint notice above the article
    "sh-c00962aabe",  # thespacereview: an article laid out in a table
    "sh-ef4e67b66d",  # CNN: 1.49 MB of HTML around a few KB of article
]


@pytest.fixture(scope="module")
def summarizer() -> Summarizer:
    return Summarizer.load("extractive")


@pytest.mark.parametrize("page_id", FULL_BODY_PAGES)
@pytest.mark.parametrize("length", ["short", "medium", "long"])
def test_summary_is_the_articles_own_body_sentences(summarizer, page_id, length):
    page = load_page(page_id)
    summary = summarizer.summarize(page["html"], length=length)
    assert summary.sentences
    for sentence in summary.sentences:
        assert in_body(sentence, page["body"]), sentence
    assert not starts_with_title(summary.sentences[0], page)
    pairs = [(a, b) for i, a in enumerate(summary.sentences) for b in summary.sentences[i + 1 :]]
    assert not any(near_duplicate(a, b) for a, b in pairs)


def test_a_cnn_sized_page_is_summarized_and_its_limit_is_the_article_text():
    page = load_page("sh-ef4e67b66d")
    assert len(page["html"]) > 1_400_000
    # The article limit is about the article's text: 50,000 characters is plenty for this one,
    # whatever the scripts and styles around it weigh.
    doc = prepare(page["html"], max_chars=50_000)
    assert len(doc.text) < 20_000
    assert "President Donald Trump, according to the White House" in doc.sentences[0]


def test_the_headline_is_a_block_of_its_own_not_body():
    page = load_page("sh-05844573ca")
    doc = prepare(page["html"])
    kinds = {block.kind for block in doc.blocks if block.text == page["title"]}
    assert kinds == {"headline"}
    assert not doc.text.startswith(page["title"])
    assert page["title"] not in doc.sentences


def test_hover_cards_and_print_only_notices_are_not_article_text():
    hill = prepare(load_page("sh-156770d676")["html"])
    assert "South Dakota Gov. Kristi Noem (R) is defending" in hill.text
    assert "NoemKristi" not in hill.text
    barrons = prepare(load_page("sh-f8ff621a0b")["html"])
    assert "non-commercial use only" not in barrons.text
    assert barrons.sentences[0].startswith("Shares of construction goods giant Home Depot are")


# How browsers (and the dev file) read these labels: the WHATWG Encoding standard.
BROWSER_CODEC = {"iso-8859-1": "cp1252", "gb2312": "gb18030"}


@pytest.mark.hostile(
    "library", "A page in the charset its <meta> declares is read as a browser reads it."
)
@pytest.mark.parametrize(
    ("page_id", "word"),
    [
        ("tr-badische-zeitung-de-Wohnungssuche", "fürs"),
        ("tr-archive-org-he-xinhuanet-com-25340717", "约定"),
    ],
)
def test_non_utf8_bytes_are_decoded_with_the_declared_charset(page_id, word):
    page = load_page(page_id)
    raw = page_bytes(page)
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    doc = prepare(raw)
    assert doc.text == prepare(raw.decode(BROWSER_CODEC[page["charset_declared"]])).text
    assert word in doc.text
    assert "\ufffd" not in doc.text
    assert not any(snippet in doc.text for snippet in page["body_without"])

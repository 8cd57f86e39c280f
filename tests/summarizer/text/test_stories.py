"""The body is one story: text above the story's own headline, or above a label in capitals
under the first paragraph, is set aside; no true body line of the dev pages or CNN/DM ever is."""

from __future__ import annotations

import gzip
import json
import re
import unicodedata

import pytest

from summarizer import Summarizer
from summarizer.text.blocks import Block
from summarizer.text.extract import extract_article
from summarizer.text.normalize import normalize_text
from summarizer.text.plaintext import text_blocks
from summarizer.text.prepare import mark_repeated_lead
from summarizer.text.stories import capital_label, own_story
from tests.conftest import SHARED_EVAL

WEB_DEV = SHARED_EVAL / "web" / "dev.jsonl.gz"
CNNDM = SHARED_EVAL / "dev.jsonl"
_ALNUM = re.compile(r"[^\W_]+")

OTHER_STORY = (
    "Night mode is an automatic setting which takes advantage of the new wide-angle camera "
    "in the phone's latest models, with a larger sensor."
)
STORY = [
    "The report claims the display size will remain 13.3 inches, although given the source we "
    "would not completely rule out a larger display.",
    "The new 16-inch model features a redesigned scissor switch keyboard, largely based on the "
    "standalone keyboard sold for desktops.",
    "It is unclear if the smaller model will follow suit when it ships next year, analysts said.",
]


def test_text_above_the_story_s_own_headline_is_another_story() -> None:
    blocks = [
        Block("paragraph", OTHER_STORY),
        Block("subheading", "16-inch Model Now Available"),
        Block("headline", "13-Inch Model With Scissor Keyboard Expected in 2020"),
        *[Block("paragraph", text) for text in STORY],
    ]
    marked = own_story(blocks)
    assert marked[0].kind == "furniture"
    assert [b.text for b in marked if b.is_body] == STORY


def test_a_headline_above_the_body_or_below_most_of_it_changes_nothing() -> None:
    first = [Block("headline", "A Headline Of Its Own"), *[Block("paragraph", t) for t in STORY]]
    assert own_story(first) == first
    last = [*[Block("paragraph", t) for t in STORY], Block("headline", "A Headline Of Its Own")]
    assert own_story(last) == last


@pytest.mark.parametrize("label", ["BAAR, SWITZERLAND", "LOOK WHAT YOU MADE ME DO", "МОСКВА"])
def test_the_block_above_a_capital_label_under_it_is_a_standfirst(label: str) -> None:
    summary = "Two companies announce a partnership for intensive care units across Europe."
    blocks = [Block("paragraph", summary), Block("caption", label)]
    blocks += [Block("paragraph", text) for text in STORY]
    marked = own_story(blocks)
    assert marked[0] == Block("standfirst", summary)
    assert marked[2:] == blocks[2:]


def test_teaser_questions_above_the_lead_are_a_standfirst() -> None:
    questions = ["Was steckt hinter dem Streit?", "Wer zahlt am Ende die Rechnung?"]
    blocks = [Block("paragraph", q) for q in questions]
    blocks += [Block("paragraph", text) for text in STORY]
    marked = own_story(blocks)
    assert [b.kind for b in marked[:2]] == ["standfirst", "standfirst"]
    assert [b.text for b in marked if b.is_body] == STORY
    # One question opening the article is the article's own first line.
    one = [Block("paragraph", questions[0]), *[Block("paragraph", t) for t in STORY]]
    assert own_story(one) == one


@pytest.mark.parametrize(
    "line", ["WHO IS THE FRONT-RUNNER?", "Baar, Switzerland", "A", "NASA said so.", "北京"]
)
def test_what_is_not_a_capital_label(line: str) -> None:
    assert not capital_label(line)


def _squash(text: str) -> str:
    return "".join(_ALNUM.findall(unicodedata.normalize("NFKC", text).casefold()))


@pytest.mark.skipif(not WEB_DEV.is_file(), reason=f"{WEB_DEV} is absent")
def test_no_true_body_line_of_the_dev_pages_is_set_aside() -> None:
    """Every block the rules take out of the body is text the annotators left out of it; and
    the rules do fire on the dev pages (a related story, press releases, a newsletter's box)."""
    with gzip.open(WEB_DEV, "rt", encoding="utf-8") as f:
        pages = [p for p in map(json.loads, f) if p["body"] and len(p["html"]) < 3_000_000]
    fired = 0
    for page in pages:
        article = extract_article(page["html"])
        before = mark_repeated_lead([Block(b.kind, normalize_text(b.text)) for b in article.blocks])
        after = own_story(before)
        body = _squash(page["body"])
        for old, new in zip(before, after, strict=True):
            if old.is_body and not new.is_body:
                fired += 1
                assert _squash(old.text) not in body, (page["id"], old.text)
    assert fired >= 4


@pytest.mark.skipif(not CNNDM.is_file(), reason=f"{CNNDM} is absent")
def test_no_cnndm_article_line_is_set_aside() -> None:
    with CNNDM.open(encoding="utf-8") as f:
        articles = [json.loads(line)["article"] for line in f]
    for article in articles:
        blocks = text_blocks(normalize_text(article))
        assert own_story(blocks) == blocks


def test_a_page_with_a_related_story_above_its_headline_is_summarized_from_its_story() -> None:
    paragraphs = "".join(f"<p>{text}</p>" for text in STORY)
    html = (
        "<html><head><title>13-Inch Model With Scissor Keyboard Expected in 2020</title></head>"
        f"<body><main><p>{OTHER_STORY}</p><h2>16-inch Model Now Available</h2>"
        "<h1>13-Inch Model With Scissor Keyboard Expected in 2020</h1>"
        f"<article>{paragraphs}</article></main></body></html>"
    )
    summarizer = Summarizer.load("extractive")
    for length in ("short", "medium"):
        summary = summarizer.summarize(html, length=length, input_format="html")
        assert OTHER_STORY not in summary.sentences
        assert set(summary.sentences) <= set(STORY)

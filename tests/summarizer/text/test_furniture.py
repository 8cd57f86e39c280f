"""Plain text as a site renders it: furniture lines recognised by their shape, in any script."""

from __future__ import annotations

import pytest

from summarizer import Summarizer
from summarizer.text import prepare
from summarizer.text.furniture import ends_sentence, line_kind

BODY = [
    "Rivers burst their banks on Tuesday across the north of the country after a week of rain.",
    "Thousands of homes were evacuated as the water kept rising overnight in three valleys.",
    "Engineers said the old flood walls had held, but warned that more rain was on its way.",
    "The government promised emergency funds for the towns worst hit by the floods this week.",
]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Floods close roads across the north", "caption"),  # a headline: no final mark
        ("Überschwemmungen im Norden: Straßen gesperrt", "caption"),
        ("Наводнение на севере страны", "caption"),
        ("北部で大雨、道路が通行止めに", "caption"),
        ("(credit: NASA/Jude Guidry)", "caption"),
        ("© 2019 Example Media", "caption"),
        ("November 19, 2019 / 12:21 AM / Updated 14 hours ago", "dateline"),
        ("Aktualisiert am 19.11.2019, 12:21 Uhr", "dateline"),
        ("19.11.2019, 12:21", "furniture"),  # no letters at all
        ("Home | World | Business | Sport", "furniture"),
        ("Notícias » Esportes » Futebol", "furniture"),
        (
            "stock car 2018, stock car brasil, stock car cascavel, stock car interlagos, rally",
            "furniture",
        ),
        ("{{nrco.contentDetailController.content.lastUpdateUser.fullName}}", "furniture"),
        ("Two people in China have been diagnosed with the plague,...", "caption"),
        (BODY[0], "paragraph"),
        ("Am 12. September beginnt in Berlin die Konferenz über den Klimaschutz.", "paragraph"),
        ("Власти эвакуировали тысячи жителей из затопленных районов.", "paragraph"),
        ("政府は被害が大きい地域に緊急の資金を送ると発表した。", "paragraph"),
        ("In 2019, 45,000 people moved to the city, the census office said.", "paragraph"),
    ],
)
def test_lines_are_told_apart_by_their_shape(line, kind):
    assert line_kind(line) == kind


def test_sentence_marks_of_other_scripts_end_a_sentence():
    for sentence in (
        "これは文です。",
        "这是一个句子！",
        "هل هذه جملة؟",
        "यह एक वाक्य है।",
        "«Это так».",
        "“Fine.”",
    ):
        assert ends_sentence(sentence), sentence
    assert not ends_sentence("A headline without a stop")


RENDERED = "\n".join(
    [
        "World",
        "Floods close roads across the north",
        "Rivers burst their banks across the north after a week of rain, officials said.",
        "By Jane Doe",
        "November 19, 2019 / 12:21 AM / Updated 14 hours ago",
        "A flooded street in York on Tuesday, November 19, 2019. (Jane Doe/Example Photos)",
        "",
        BODY[0],
        "",
        BODY[1],
        "",
        "What comes next",
        "",
        BODY[2],
        "",
        BODY[3],
        "",
        "Share this article",
        "Read more",
        "Related: Storm warnings for the weekend",
        "This copy is for your personal, non-commercial use only.",
    ]
)


def test_rendered_article_text_keeps_only_the_body():
    doc = prepare(RENDERED, input_format="text")
    assert doc.sentences[: len(BODY)] == BODY
    for furniture in ("Floods close roads", "By Jane Doe", "Updated 14 hours", "York on Tuesday"):
        assert furniture not in doc.text
    assert not doc.text.startswith("Rivers burst their banks across the north after")
    kinds = {block.text: block.kind for block in doc.blocks}
    assert (
        kinds["Rivers burst their banks across the north after a week of rain, officials said."]
        == "standfirst"
    )


@pytest.mark.parametrize("length", ["short", "medium", "long"])
def test_summaries_of_rendered_text_are_body_sentences(length):
    summary = Summarizer.load("extractive").summarize(RENDERED, length=length, input_format="text")
    assert summary.sentences
    assert all(sentence in BODY for sentence in summary.sentences), summary.sentences


def test_plain_article_text_without_labels_is_unchanged():
    text = "\n\n".join(BODY)
    assert prepare(text).text == text
    # a short note without any sentence mark is still summarized as it is
    assert prepare("Meeting moved to Friday").sentences == ["Meeting moved to Friday"]


def test_captions_with_credits_and_a_repeated_headline_are_not_body():
    rendered = "\n".join(
        [
            "Does the river wall hold for another winter?",
            "Does the river wall hold for another winter?",  # the headline, shown twice
            "Jane Doe",
            "The wall at York on Tuesday. It held.",
            "Credit...",
            "Jane Doe/Example Photos",
            BODY[0],
            BODY[1],
            "Engineers from the city and the county inspect the old wall at dawn on Wednesday, "
            "hours before the next storm reaches the valley. Foto: Example Photos",
            BODY[2],
        ]
    )
    doc = prepare(rendered, input_format="text")
    assert doc.sentences == BODY[:3]
    kinds = {block.text: block.kind for block in doc.blocks}
    assert kinds["The wall at York on Tuesday. It held."] == "caption"
    assert kinds["Does the river wall hold for another winter?"] == "caption"

"""Quotations: never cut by the splitter, never half in a summary, in every script's marks."""

from __future__ import annotations

import gzip
import json
import time

import pytest

from summarizer import Summarizer
from summarizer.text import quotes
from summarizer.text.quotes import MAX_QUOTE_SENTENCES, balanced, join_quotations
from summarizer.text.sentences import split_sentences
from tests.conftest import SHARED_EVAL


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("“Yes, we needed to win this game today. I felt like we could. But now, no.”", "en"),
        ('"We talk about it all the time. America is no longer for sale."', "en"),
        ("„Das ist gut. Wir gehen jetzt nach Hause.“", "de"),
        ("„Das ist gut. Wir gehen jetzt nach Hause.”", "pl"),
        ("»Das ist gut. Wir gehen jetzt nach Hause.«", "de"),
        ("« C'est bon. On y va maintenant. »", "fr"),
        ("«È finita. Torniamo a casa adesso.»", "it"),
        ("”Det är bra. Vi går hem nu.”", "sv"),
        ("“兄弟，放心吧！我们的约定没有期限。”", "zh"),
        ("「雨が降った。風も強い。」", "ja"),
        ("『雨が降った。風も強い。』", "ja"),
    ],
)
def test_a_quotation_of_several_sentences_is_one_sentence(text: str, language: str) -> None:
    context = "他说。{}他走了。" if language in ("zh", "ja") else "He said it. {} Then he left."
    sentences = split_sentences(context.format(text), language)
    quoted = [s for s in sentences if text in s]
    assert len(quoted) == 1 and balanced(quoted[0])
    assert all(balanced(s) for s in sentences)


@pytest.mark.parametrize(
    "piece",
    [
        "“Yes, we needed to win this game today.",  # opened, not closed
        "Thanks to my tariffs, we're taking in billions, China.\"",  # closed, never opened
        "I couldn’t get my mind into any other mode.”",
        "Er sagte: „Das ist gut.",
        "Il a dit : « C'est bon.",
        "On y va. » Puis il est parti.",
        "雨が降った。」",
    ],
)
def test_a_piece_of_a_quotation_is_not_balanced(piece: str) -> None:
    assert not balanced(piece)


@pytest.mark.parametrize(
    "sentence",
    [
        "Don't worry, it's the players' fault, not O'Brien's.",  # apostrophes
        'The screen measures 6.1" and the phone is 5\' 9" tall in the ad.',  # inches, feet
        "E’ stato annunciato il remake de “I Cavalieri dello Zodiaco“, prodotta da Toei.",
        "Er sagte „ja“ und ging.",
        "He said “no” to the offer.",
        'צה"ל הודיע כי ארה"ב תשלח סיוע.',  # Hebrew abbreviations: gershayim typed as "
        "第五届“沧州好人”提名奖获得者王贵鹏到现场观看演出。",  # no spaces round the marks
        '他说"你好"，然后走了。',  # straight quotes between Chinese characters
        "演员喊出誓言“兄弟，放心吧！我们的约定没有期限”时，全场响起掌声。",
    ],
)
def test_apostrophes_inches_and_closed_quotes_are_balanced(sentence: str) -> None:
    assert balanced(sentence)


def test_a_chinese_paragraph_with_quotations_keeps_its_sentences() -> None:
    paragraph = (
        "演员喊出誓言“兄弟，放心吧！我们的约定没有期限”时，全场响起掌声。这样的感动传遍河北大地。"
        "第五届“沧州好人”提名奖获得者王贵鹏到现场观看演出。"
    )
    sentences = split_sentences(paragraph, "zh")
    assert len(sentences) == 3 and all(balanced(s) for s in sentences)


def test_a_quotation_never_closed_does_not_swallow_the_paragraph() -> None:
    pieces = ["“It began here."] + [f"Sentence number {i} goes on." for i in range(30)]
    joined = join_quotations(pieces)
    assert max(len(s) for s in joined) < 20 * len(pieces[1])
    assert len(joined) >= len(pieces) - MAX_QUOTE_SENTENCES
    sentences = split_sentences(" ".join(pieces))
    assert len(sentences) >= len(pieces) - MAX_QUOTE_SENTENCES


def test_the_bound_covers_every_quotation_of_the_dev_articles() -> None:
    """The longest quotation of several sentences in the true bodies of the dev pages and in
    CNN/DM is glued whole: none reaches the bound."""
    pages = SHARED_EVAL / "web" / "dev.jsonl.gz"
    cnndm = SHARED_EVAL / "dev.jsonl"
    if not pages.is_file() or not cnndm.is_file():
        pytest.skip("no shared evaluation data")
    with gzip.open(pages, "rt", encoding="utf-8") as f:
        texts = [(p["body"], p["lang"]) for p in map(json.loads, f) if p["body"]]
    with cnndm.open(encoding="utf-8") as f:
        texts += [(json.loads(line)["article"], "en") for line in f]
    unclosed = 0
    for text, language in texts:
        for sentence in split_sentences(text, language):
            unclosed += not balanced(sentence) and len(sentence) > quotes.MAX_QUOTE_CHARS
    assert unclosed == 0


def _best_seconds(function, texts: list[str], rounds: int = 5) -> list[float]:
    """The fastest of ``rounds`` timings of ``function`` on each text, timed in turns so that
    a busy machine slows every text alike."""
    best = [float("inf")] * len(texts)
    for _ in range(rounds):
        for k, text in enumerate(texts):
            began = time.perf_counter()
            function(text)
            best[k] = min(best[k], time.perf_counter() - began)
    return best


@pytest.mark.parametrize(
    "unit",
    [
        "“",  # 10,000 opening quotes
        "“”",  # alternating marks
        '"a. ',  # straight quotes opening sentences, never closed
        "„Wort. ",  # German openings, never closed
        "«x» ",
        "「雨。",
        "“a” b. ",
    ],
)
@pytest.mark.parametrize("function", [balanced, split_sentences], ids=["balanced", "split"])
def test_quotation_work_is_linear(unit: str, function) -> None:
    n = 10_000  # 10,000 opening quotes, or alternating marks, or marks never closed
    ratio = float("inf")
    for _ in range(3):  # a shared machine's spikes pass; quadratic work stays near 16 each time
        small, large = _best_seconds(function, [unit * n, unit * (4 * n)], rounds=3)
        ratio = min(ratio, large / max(small, 1e-6))
        if ratio < 10:
            break
    # Linear work gives about 4; quadratic work would give 16.
    assert ratio < 10, f"{unit!r}: 4x the text took {ratio:.1f}x the time"


def test_a_summary_holds_no_piece_of_a_quotation() -> None:
    text = (
        "Chargers coach Anthony Lynn recognizes that his team's playoff hopes are slim after "
        "Monday night's loss to the Chiefs in Mexico City.\n"
        "“We talked all along about everything we wanted was still in front of us,” Lynn said "
        "after the game on Monday night. “Yes, we needed to win this game today. I felt like if "
        "we could have won this game today and won out, we could control our own destiny. But "
        "now, obviously, I don’t feel that way.”\n"
        "At 4-7, the Chargers would probably not make the playoffs even if they win out in the "
        "remaining games of the season."
    )
    summarizer = Summarizer.load("extractive")
    for length in ("short", "medium", "long"):
        for sentence in summarizer.summarize(text, length=length).sentences:
            assert balanced(sentence), sentence
            assert sentence != "“Yes, we needed to win this game today."


def test_a_quotation_running_on_into_the_next_paragraph_is_one_fragment() -> None:
    """English style: a quoted paragraph that the next one continues has no closing mark. Its
    sentences after the opening one hold no mark, yet are inside the quotation."""
    text = (
        "Cheuk Hau-yip, the commander of the district, said: “These rioters, they are also "
        "criminals. They have to face the consequences of their acts.\n"
        "“Other than coming out to surrender, I don’t see that there’s any viable option.”"
    )
    sentences = split_sentences(text)
    assert "They have to face the consequences of their acts." not in sentences
    assert [balanced(s) for s in sentences] == [False, True]

"""The extractive engine in every language: summaries of the article's own sentences, and
``short`` is exactly one sentence whatever the script."""

from __future__ import annotations

import gzip
import json
import re

import pytest

from summarizer import Summarizer
from summarizer.options import SummaryOptions
from summarizer.testing.sentence_cases import SPACED_SCRIPT_PARAGRAPHS
from summarizer.text import prepare
from tests.conftest import SHARED_EVAL

RUSSIAN = (
    "Правительство России в среду утвердило новую программу строительства жилья в регионах. "
    "Программа рассчитана на десять лет и должна обеспечить жильём молодые семьи. "
    "Министр строительства заявил, что первые дома будут сданы уже в следующем году. "
    "Эксперты считают, что цены на жильё при этом перестанут расти так быстро. "
    "Критики программы указывают на нехватку рабочих и строительных материалов. "
    "Ранее похожий проект обсуждали с NASA в 2019 году."
)
JAPANESE = (
    "政府は水曜日、地方での住宅建設に関する新しい計画を閣議決定した。"
    "計画は十年間にわたり、若い家族に住まいを提供することを目的としている。"
    "国土交通大臣は、最初の住宅が来年にも完成する見通しだと述べた。"
    "専門家は、これにより住宅価格の急激な上昇が抑えられると見ている。"
    "一方で、建設労働者や資材の不足を指摘する声も上がっている。"
)
CHINESE = (
    "政府星期三批准了一项在各地区建设住房的新计划，旨在帮助年轻家庭解决住房问题。"
    "该计划为期十年，预计将新建数百万套经济适用住房。"
    "住房部长表示，第一批住房最早将于明年交付使用，并将优先分配给首次购房者。"
    "专家认为，这将有助于抑制房价过快上涨，但效果仍有待观察。"
    "批评人士则指出，建筑工人和建筑材料的短缺可能拖慢进度。"
)
CJK_STOP = re.compile(r"[。！？](?=.)")
# A quotation's own stops do not end the sentence that quotes it (summarizer/text/quotes.py).
CJK_QUOTATION = re.compile(r"“[^”]*”|「[^」]*」|『[^』]*』")


@pytest.fixture(scope="module")
def extractive() -> Summarizer:
    return Summarizer.load("extractive")


def test_cyrillic_sentences_have_words_and_make_the_summary(extractive: Summarizer) -> None:
    # With ASCII-only words the one sentence holding "NASA" was the whole summary.
    doc = prepare(RUSSIAN)
    summary = extractive.summarize_prepared([doc], extractive_options("medium"))[0]
    assert summary.language == "ru"
    assert len(summary.sentences) == 3
    assert summary.sentences[0] == doc.sentences[0]
    assert set(summary.sentences) <= set(doc.sentences)
    short = extractive.summarize(RUSSIAN, length="short")
    assert len(short.sentences) == 1 and "NASA" not in short.text


@pytest.mark.parametrize(("language", "text"), [("ja", JAPANESE), ("zh", CHINESE)])
def test_cjk_short_is_one_sentence_of_the_article(
    extractive: Summarizer, language: str, text: str
) -> None:
    doc = prepare(text)
    assert doc.language == language and len(doc.sentences) == 5
    short = extractive.summarize(text, length="short")
    assert len(short.sentences) == 1 and not CJK_STOP.search(short.text)
    assert short.sentences[0] in doc.sentences
    medium = extractive.summarize(text, length="medium")
    assert 2 <= len(medium.sentences) <= 3
    assert set(medium.sentences) <= set(doc.sentences)
    assert medium.words <= 90


def test_a_thai_short_summary_is_one_sentence_not_the_whole_paragraph(
    extractive: Summarizer,
) -> None:
    # Thai has no full stop: before the space rule the paragraph was one "sentence", and so the
    # short summary.
    language, thai = SPACED_SCRIPT_PARAGRAPHS[0]
    paragraph = " ".join(thai)
    doc = prepare(paragraph)
    assert language == doc.language == "th" and doc.sentences == thai
    short = extractive.summarize(paragraph, length="short")
    assert len(short.sentences) == 1 and short.sentences[0] in thai
    medium = extractive.summarize(paragraph, length="medium")
    assert 2 <= len(medium.sentences) < len(thai) and set(medium.sentences) <= set(thai)


def test_a_cyrillic_html_page_is_summarized_from_its_own_sentences(extractive: Summarizer) -> None:
    paragraphs = "".join(f"<p>{s}</p>" for s in prepare(RUSSIAN).sentences)
    page = f'<html lang="ru"><body><article>{paragraphs}</article></body></html>'
    summary = extractive.summarize(page, length="short")
    assert summary.language == "ru"
    assert summary.sentences[0] in prepare(RUSSIAN).sentences


def test_digit_and_copyright_lines_are_never_picked_in_any_language(
    extractive: Summarizer,
) -> None:
    furniture = [
        "3:1 (2:0) — 45.000 — 12.05.2019 — 18:30 Uhr — 1. FC Köln.",
        "© 2019 Agence Presse Nouvelle SA, tous droits réservés pour cet article.",
    ]
    text = "\n".join([*furniture, *prepare(RUSSIAN).sentences])
    for length in ("short", "medium", "long"):
        picked = extractive.summarize(text, length=length).sentences
        assert not set(picked) & set(furniture)


def extractive_options(length: str) -> SummaryOptions:
    return SummaryOptions(length=length)  # type: ignore[arg-type]


WEB_DEV = SHARED_EVAL / "web" / "dev.jsonl.gz"


@pytest.mark.skipif(not WEB_DEV.is_file(), reason=f"{WEB_DEV} is absent")
def test_dev_pages_in_cjk_and_other_languages(extractive: Summarizer) -> None:
    """Every ja/zh/ko/th dev page gets a one-sentence short summary of its own sentences, and
    every non-English page's language is detected."""
    with gzip.open(WEB_DEV, "rt", encoding="utf-8") as lines:
        pages = [json.loads(line) for line in lines]
    checked = 0
    for page in pages:
        if page["lang"] == "en":
            continue
        doc = extractive.prepare(page["html"], "html")
        assert doc.language == page["lang"], page["id"]
        if page["lang"] in ("ja", "zh", "ko", "th"):
            short = extractive.summarize_prepared([doc], extractive_options("short"))[0]
            assert len(short.sentences) == 1, page["id"]
            assert not CJK_STOP.search(CJK_QUOTATION.sub("", short.text)), page["id"]
            assert short.sentences[0] in doc.sentences
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize(
    "stamp",
    [
        "sexta-feira, 22 de outubro de 2010 às 20:13",
        "12.05.2019, 18:30 Uhr",
        "November 19, 2019 / 12:21 AM /",
    ],
)
def test_a_timestamp_glued_before_the_lead_is_not_in_the_summary(
    extractive: Summarizer, stamp: str
) -> None:
    first = prepare(RUSSIAN).sentences[0]
    text = RUSSIAN.replace(first, f"{stamp} {first}", 1)
    summary = extractive.summarize(text, length="short")
    assert summary.sentences == [first]


def test_a_menu_line_is_never_picked(extractive: Summarizer) -> None:
    menu = "Главная | Новости | Политика | Экономика | Спорт | Культура | Общество | Регионы"
    text = "\n".join([menu, *prepare(RUSSIAN).sentences])
    for length in ("short", "medium", "long"):
        assert menu not in extractive.summarize(text, length=length).sentences


def test_a_lost_space_after_a_cyrillic_sentence_end_is_restored() -> None:
    from summarizer.engines.extractive import clean_sentences

    glued = "Выставку посетили тысячи человек.Это рекорд для Москвы."
    assert clean_sentences([glued]) == [
        "Выставку посетили тысячи человек.",
        "Это рекорд для Москвы.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "雨が降った。風も強い。電車が止まった。学校は休みだ。",
        "Es regnet. Der Wind weht. Die Bahn steht. Die Schule fällt aus.",
    ],
)
def test_short_is_one_sentence_even_when_every_sentence_is_short(
    extractive: Summarizer, text: str
) -> None:
    # No sentence reaches the preset's eight words: short must still stop at one.
    assert len(extractive.summarize(text, length="short").sentences) == 1
    assert len(extractive.summarize(text, length="short", min_words=12).sentences) > 1

"""The article's language: detected, or the caller's, and reported with the summary."""

from __future__ import annotations

import resource

import pytest

from summarizer import Summarizer
from summarizer.errors import InputError, OptionsError
from summarizer.options import SummaryOptions
from summarizer.summary import Summary
from summarizer.text import prepare
from summarizer.text.language import detect_language
from tests.subprocesses import run_python

TEXTS = {
    "de": "Die Bundesregierung hat am Mittwoch neue Regeln für den Wohnungsbau beschlossen. "
    "Mieter sollen dadurch besser geschützt werden, sagte die Ministerin in Berlin.",
    "ru": "Правительство в среду утвердило новые правила строительства жилья. "
    "По словам министра, они должны лучше защитить арендаторов.",
    "ja": "政府は水曜日、住宅建設に関する新しい規則を決定した。大臣によると、借り手をより良く"
    "保護することが目的だという。",
    "zh": "政府星期三批准了住房建设的新规定。部长说，这些规定是为了更好地保护租户。",
    "fr": "Le gouvernement a adopté mercredi de nouvelles règles pour la construction de "
    "logements. Selon la ministre, elles doivent mieux protéger les locataires.",
}


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_language_is_detected(language: str) -> None:
    assert detect_language(TEXTS[language]) == language
    assert prepare(TEXTS[language]).language == language


def test_summary_reports_the_detected_language() -> None:
    summary = Summarizer.load("extractive").summarize(TEXTS["ru"], length="short")
    assert summary.language == "ru"
    assert Summary.from_dict(summary.to_dict()).language == "ru"


def test_the_callers_language_wins_and_sets_the_sentence_rules() -> None:
    # Detected as English, this text splits after "12."; given as German it must not.
    text = "On the 12. Bis 13. September the Big Summer Festival starts in Berlin with many bands."
    summarizer = Summarizer.load("extractive")
    assert prepare(text).language == "en"
    assert len(prepare(text).sentences) > 1
    assert prepare(text, language="de").sentences == [text]
    summary = summarizer.summarize(text, language="de-AT")
    assert summary.language == "de"
    assert summary.sentences == [text]
    english = summarizer.summarize(TEXTS["fr"], language="en")
    assert english.language == "en"


def test_the_language_is_part_of_the_cache_key() -> None:
    summarizer = Summarizer.load("extractive")
    options = SummaryOptions()
    keys = {
        summarizer.cache_key(prepare(TEXTS["de"], language=lang), options) for lang in ("de", "nl")
    }
    assert len(keys) == 2


@pytest.mark.hostile(
    "library", "a language that is not a language code is refused with a clear error"
)
@pytest.mark.parametrize("bad", ["", "deutsch!", "x" * 40, "12"])
def test_a_malformed_language_is_refused(bad: str) -> None:
    with pytest.raises(OptionsError, match="language must be a language code"):
        SummaryOptions(language=bad)
    with pytest.raises(InputError, match="language must be a language code"):
        prepare(TEXTS["de"], language=bad)


@pytest.mark.hostile(
    "library",
    "language detection still works when the disk is full or no temporary file can be made",
)
def test_detection_needs_no_temporary_file() -> None:
    # py3langid's own loader streams its 68 MB model through a temporary file; on a full
    # disk that failed every article. RLIMIT_FSIZE makes every write past 1 MB fail (EFBIG) the
    # way a full disk does, in a fresh process that must load the model.
    code = "from summarizer.text import prepare; print(prepare('" + TEXTS["ru"] + "').language)"
    result = run_python(
        "-c",
        code,
        env={"PYTHONDONTWRITEBYTECODE": "1"},
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000)),
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ru"

"""An HTML page's own language declaration: a hint when the detector is unsure, never more."""

from __future__ import annotations

import pytest
from lxml import html

from summarizer.text import prepare
from summarizer.text.language import declared_language, detect_language

SHORT_PORTUGUESE = "A casa é nova."  # too short for the detector: it reads Galician, unsure
GERMAN = (
    "Der Stadtrat hat am Dienstag nach einer langen Debatte den neuen Haushalt beschlossen. "
    "Nach Angaben der Verwaltung sollen damit mehr Busse fahren und mehrere Brücken saniert "
    "werden. Die Bürger können die Einzelheiten im nächsten Monat in öffentlichen Sitzungen "
    "mit dem Bürgermeister diskutieren."
)


def page(text: str, html_attrs: str = "", head: str = "") -> str:
    return (
        f"<!doctype html><html {html_attrs}><head>{head}<title>T</title></head>"
        f"<body><article><p>{text}</p></article></body></html>"
    )


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ('lang="pt-BR"', "pt"),
        ('xml:lang="de"', "de"),
        ('lang="und"', None),  # "undetermined" names no language
        ('lang="not a tag!"', None),
        ("", None),
    ],
)
def test_html_lang_attribute(markup: str, expected: str | None) -> None:
    assert declared_language(html.fromstring(page("x", markup))) == expected


def test_og_locale_then_content_language_when_html_lang_is_absent() -> None:
    og = '<meta property="og:locale" content="es_ES">'
    content = '<meta http-equiv="Content-Language" content="it">'
    assert declared_language(html.fromstring(page("x", head=og + content))) == "es"
    assert declared_language(html.fromstring(page("x", head=content))) == "it"
    # <html lang> comes first
    assert declared_language(html.fromstring(page("x", 'lang="fr"', og))) == "fr"


def test_the_declaration_decides_a_short_text_the_detector_is_unsure_of() -> None:
    assert detect_language(SHORT_PORTUGUESE) != "pt"
    assert prepare(page(SHORT_PORTUGUESE, 'lang="pt"'), "html").language == "pt"
    og = '<meta property="og:locale" content="pt_BR">'
    assert prepare(page(SHORT_PORTUGUESE, head=og), "html").language == "pt"


def test_a_sure_detection_beats_a_wrong_declaration() -> None:
    # A site template that says "en" on every page, around a German article.
    assert prepare(page(GERMAN, 'lang="en"'), "html").language == "de"


def test_the_callers_language_beats_both() -> None:
    assert prepare(page(SHORT_PORTUGUESE, 'lang="pt"'), "html", language="es").language == "es"


@pytest.mark.hostile(
    "library", "a page declaring a language no detector knows ('foo') is not reported in it"
)
@pytest.mark.parametrize("tag", ["foo", "xx", "tlh"])
def test_a_declared_code_that_names_no_known_language_is_no_hint(tag: str) -> None:
    assert declared_language(html.fromstring(page("x", f'lang="{tag}"'))) == tag
    language = prepare(page(SHORT_PORTUGUESE, f'lang="{tag}"'), "html").language
    assert language == detect_language(SHORT_PORTUGUESE) != tag

import pytest

from summarizer.errors import InputError
from summarizer.text import prepare, split_sentences


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty"),
        ("   \n\t  \n", "empty"),
        (b"caf\xe9 au lait", "not valid UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (
            "<html><head><script>var a = 1;</script><style>p{}</style></head><body></body></html>",
            "no article text",
        ),
        ("<div><script>alert('x')</script></div>", "no article text"),
        ("... --- !!!", "no words"),
    ],
)
def test_unusable_input_is_a_clear_error(raw, message):
    with pytest.raises(InputError, match=message):
        prepare(raw)


def test_too_long_input_is_refused_before_parsing():
    with pytest.raises(InputError, match="too long"):
        prepare("word " * 100_000, max_chars=10_000)


def test_html_article_text_is_extracted_without_markup_or_scripts():
    html = (
        "<html><head><title>T</title><script>trackReader()</script></head><body>"
        "<nav><a href='/'>Home</a></nav><article><h1>Flood waters rise</h1>"
        "<p>Rivers burst their banks on Tuesday across the north of the country.</p>"
        "<p>Thousands of homes were evacuated as rain kept falling overnight.</p></article>"
        "</body></html>"
    )
    prepared = prepare(html)
    assert "Rivers burst their banks on Tuesday" in prepared.text
    assert "Thousands of homes were evacuated" in prepared.text
    assert "trackReader" not in prepared.text
    assert "<p>" not in prepared.text


def test_text_mentioning_tags_is_not_treated_as_html():
    text = "Use a < b when comparing. The result is clear."
    assert prepare(text).text == text


def test_whitespace_and_encoding_are_normalized():
    prepared = prepare("\ufeffFirst  line\u00a0here.\r\n\r\n\r\nSecond\tline here.".encode())
    assert prepared.text == "First line here.\n\nSecond line here."


def test_sentences_split_on_abbreviations_correctly_and_on_paragraphs():
    text = "Dr. Smith met Mr. Jones in the U.S. on Monday. They talked.\nA headline without stop"
    assert split_sentences(text) == [
        "Dr. Smith met Mr. Jones in the U.S. on Monday.",
        "They talked.",
        "A headline without stop",
    ]

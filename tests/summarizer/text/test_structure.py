"""HTML to the article's blocks: what is body, what is set aside, and what is refused."""

from __future__ import annotations

import pytest

from summarizer.errors import InputError
from summarizer.text import MAX_HTML_CHARS, dom, extract_article, prepare

PARAGRAPHS = [
    "Rivers burst their banks on Tuesday across the north of the country after a week of rain.",
    "Thousands of homes were evacuated as the water kept rising overnight in three valleys.",
    "Engineers said the old flood walls had held, but warned that more rain was on its way.",
]


def page(article: str, head: str = "") -> str:
    return (
        f"<!doctype html><html><head><title>Floods | Example News</title>{head}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article>{article}</article><footer>Contact us</footer></body></html>"
    )


def body(*extra_before: str) -> str:
    return "".join(extra_before) + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)


def test_only_body_paragraphs_are_sentences_and_the_rest_keeps_its_kind():
    html = page(
        body(
            "<h1>Floods close roads across the north</h1>",
            "<figure><img src='a.jpg'><figcaption>A flooded street in York on Tuesday."
            "</figcaption></figure>",
        )
        + "<h2>What comes next</h2><p>Share this story</p>"
    )
    doc = prepare(html)
    assert doc.sentences == PARAGRAPHS
    assert doc.title == "Floods close roads across the north" or doc.title.startswith("Floods")
    kinds = {block.text: block.kind for block in doc.blocks}
    assert kinds["Floods close roads across the north"] == "headline"
    assert kinds["What comes next"] == "subheading"
    assert "A flooded street in York on Tuesday." not in doc.text  # a figure's caption
    assert "Share this story" not in doc.sentences


def test_a_headline_glued_to_the_first_paragraph_is_cut_off():
    title = "Floods close roads across the north"
    html = page(
        f"<p>{title} {PARAGRAPHS[0]}</p>" + body()[len(f"<p>{PARAGRAPHS[0]}</p>") :],
        head=f"<meta property='og:title' content='{title}'>",
    )
    doc = prepare(html)
    assert doc.sentences[0] == PARAGRAPHS[0]
    assert any(b.kind == "headline" and b.text == title for b in doc.blocks)


def test_a_standfirst_that_the_body_repeats_is_not_body():
    standfirst = "Rivers burst their banks across the north after a week of rain."
    doc = prepare(page(body(f"<p class='standfirst'>{standfirst}</p>")))
    assert standfirst not in doc.sentences
    assert doc.sentences[0] == PARAGRAPHS[0]
    assert [b.kind for b in doc.blocks if b.text == standfirst] == ["standfirst"]


@pytest.mark.parametrize(
    "hidden",
    [
        "<div class='print-header'><p>This copy is for your personal use only, it says.</p></div>",
        "<p hidden>A paragraph that the page never shows to its readers at all.</p>",
        "<p style='display: none'>A paragraph that the page never shows to its readers.</p>",
        "<div class='sr-only'><p>Text that only screen readers announce to their users.</p></div>",
        "<div id='cookie-banner'><p>We use cookies to improve your visit to our site.</p></div>",
        # class names match whatever their case (the quick word test lowercases them first)
        "<div class='SR-Only'><p>Text that only screen readers announce to their users.</p></div>",
        "<div id='CookieBanner'><p>We use cookies to improve your visit to our site.</p></div>",
        # names too long for the cache of short names are read all the same
        f"<div class='{'layout ' * 40}sr-only'><p>Only screen readers announce this.</p></div>",
        f"<p class='{'x' * 300}' id='cookie-notice'>We use cookies to improve your visit.</p>",
    ],
)
def test_what_a_reader_never_sees_is_not_article_text(hidden):
    doc = prepare(page(body(hidden)))
    assert doc.sentences == PARAGRAPHS


@pytest.mark.hostile(
    "library", "Class names of any length and number cost bounded memory across requests."
)
def test_only_short_class_names_are_remembered():
    dom._unseen_names.cache_clear()  # a cache: emptied, so that what this page adds shows
    long_names = "".join(
        f"<p class='{n:04d}{'x' * dom._CACHED_NAMES}'>A line of the page, number {n}.</p>"
        for n in range(50)
    )
    prepare(page(body("<p class='lead'>A short line.</p>") + long_names))
    cached = dom._unseen_names.cache_info()
    assert 0 < cached.currsize < 50  # the short names only
    assert cached.maxsize is not None


def test_responsive_and_no_print_classes_are_still_article_text():
    extra = (
        "<p class='hidden-xs no-print'>The minister will visit the worst-hit towns on Friday.</p>"
    )
    doc = prepare(page(body() + extra))
    assert "The minister will visit the worst-hit towns on Friday." in doc.sentences


@pytest.mark.hostile(
    "library", "A page with no article text is refused with InputError, never summarized."
)
@pytest.mark.parametrize(
    ("article", "why"),
    [
        (
            "<h1>{{article.headline}}</h1><p>{{nrco.contentDetailController.content.body}}</p>"
            "<p>{{nrco.contentDetailController.content.lastUpdateUser.fullName}}</p>",
            "template",
        ),
        (
            "<div class='consent-wall'><p>We and our partners use cookies to store and access "
            "information on your device. Accept all to continue to the site.</p>"
            "<button>Accept all</button></div>",
            "no article text",
        ),
        (
            "<h1>Sign in</h1><form><input type='email' name='email'>"
            "<input type='password' name='password'><button>Log in</button></form>"
            "<p>Forgot your password?</p>",
            "login",
        ),
    ],
)
def test_pages_without_article_text_are_refused(article, why):
    with pytest.raises(InputError, match="no article text"):
        prepare(page(article))


def test_a_short_teaser_beside_a_login_box_is_still_an_article():
    html = page(
        "<form><input type='password'></form>"
        "<p>The city council voted on Monday to close the old bridge for repairs until spring.</p>"
        "<p>Buses will replace the trams that cross it, the council said.</p>"
    )
    assert prepare(html).sentences[0].startswith("The city council voted")


def test_metadata_comes_from_the_page():
    head = (
        "<meta property='og:title' content='Floods close roads'>"
        "<meta name='description' content='Rain and rivers.'>"
        "<meta name='author' content='A. Writer'>"
    )
    article = extract_article(page(body(), head=head))
    assert (article.title, article.description, article.author) == (
        "Floods close roads",
        "Rain and rivers.",
        "A. Writer",
    )
    assert [b.text for b in article.body] == PARAGRAPHS


@pytest.mark.hostile("library", "Every size limit message states the limit that applies.")
def test_limit_messages_state_the_real_limit():
    with pytest.raises(InputError, match=r"input is too long: 10,001 characters \(limit 10,000\)"):
        prepare("a" * 10_001, max_chars=10_000)
    with pytest.raises(
        InputError, match=rf"HTML page is too long: .* \(limit {MAX_HTML_CHARS:,}\)"
    ):
        prepare(page(body()) + " " * MAX_HTML_CHARS)
    long_article = "".join(f"<p>{PARAGRAPHS[0]} {i}.</p>" for i in range(200))
    with pytest.raises(InputError, match=r"article is too long: [\d,]+ characters \(limit 5,000\)"):
        prepare(page(long_article), max_chars=5_000)


def test_scripts_and_styles_do_not_count_against_the_article_limit():
    padding = "<script>var x = '" + "x" * 400_000 + "';</script><style>p{}</style>"
    doc = prepare(page(body(), head=padding), max_chars=10_000)
    assert doc.sentences == PARAGRAPHS


@pytest.mark.hostile(
    "library", "Bytes that declare no charset and are not UTF-8 are refused clearly."
)
def test_undeclared_non_utf8_is_refused_and_declared_charsets_are_read():
    latin = page(body("<p>Der Bürgermeister äußerte sich am Dienstag zur Lage in der Stadt.</p>"))
    with pytest.raises(InputError, match=r"not valid UTF-8 .*declares no other charset"):
        prepare(latin.encode("cp1252"))
    for declaration in (
        "<meta charset='iso-8859-1'>",
        "<meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-1'>",
    ):
        html = latin.replace("<head>", f"<head>{declaration}")
        assert "Bürgermeister äußerte" in prepare(html.encode("cp1252")).text
    # a byte-order mark wins, and plain text never looks for a <meta>
    assert "Bürgermeister" in prepare("\ufeff".encode("utf-16-le") + latin.encode("utf-16-le")).text
    with pytest.raises(InputError, match="not valid UTF-8"):
        prepare("<meta charset='latin-1'> Bürger".encode("cp1252"), input_format="text")
    # any two bytes decode as UTF-16: a UTF-16 mark before something that is not a page is refused
    with pytest.raises(InputError, match="byte-order mark"):
        prepare(b"\xff\xfe\xfa not utf8")

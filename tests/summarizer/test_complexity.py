"""The complexity harness (benchmarks/complexity): generated hostile shapes at n and 4n through
every regex on client text and every stage, time at 4n at most 6 times the time at n."""

from __future__ import annotations

import pytest

from benchmarks.complexity.measure import SCREEN_SECONDS
from benchmarks.complexity.regexes import client_text_regexes
from benchmarks.complexity.shapes import (
    PARAGRAPH,
    Shape,
    every_text_shape,
    html_shapes,
    html_size,
    representative_text_shapes,
)
from benchmarks.complexity.stages import stages, stages_for
from benchmarks.complexity.sweep import cpu_seconds, regex_sweep, stage_growth
from summarizer.text.prepare import MAX_HTML_CHARS, MAX_INPUT_CHARS
from summarizer.text.tokens import count_words

WHOLE = {stage.name: stage for stage in stages() if stage.whole}


def test_the_regex_finder_finds_the_patterns_on_client_text():
    names = {regex.name for regex in client_text_regexes()}
    assert len(names) >= 50, names
    for known in (
        "summarizer.text.tokens:_SPACED_CHUNK",
        "summarizer.engines.extractive:_GLUED_START",
        "summarizer.text.furniture:_PLACEHOLDER",
        "summarizer.text.sentences:_OTHER_STOPS",
        "summarizer.text.sanitize:_tokens(MAX_ATTRIBUTES)",
    ):
        assert known in names


def test_the_shapes_cover_every_class_of_character():
    names = " ".join(shape.name for shape in every_text_shape())
    for cls in ("punctuation", "symbols", "combining marks", "spaces", "digits", "letters"):
        assert cls in names
    assert len(list(every_text_shape())) > 1000
    assert any("nested ul/li" in shape.name for shape in html_shapes())


@pytest.mark.hostile(
    "library",
    "Every regular expression the package runs on client text grows linearly on every generated "
    "shape (runs of every class of character alone, after a word, between words; repeated "
    "structures; markup): time at 4n at most 6 times the time at n.",
)
def test_every_client_text_regex_grows_linearly_on_the_representative_shapes():
    shapes = [
        *representative_text_shapes(),
        *(s for s in html_shapes() if "paragraph:" not in s.name),
    ]
    steep = [f.describe() for f in regex_sweep(1000, shapes) if f.too_steep]
    assert not steep, "\n".join(steep)


@pytest.mark.hostile(
    "library",
    "A summary of any generated shape of text or HTML (the whole library path: decoding, "
    "extraction, lines, sentences, language, ranking, fitting, rendering) grows linearly: "
    "time at 4n at most 6 times the time at n.",
)
@pytest.mark.parametrize("html", [False, True], ids=["text", "html"])
def test_a_whole_summary_grows_linearly_on_every_shape(html):
    # Pages nested a paragraph a level are measured past the nesting caps (a second each at
    # 4n): in the slow sweep of every stage.
    shapes = (
        [
            s
            for s in html_shapes()
            if not s.name.startswith("in a paragraph") and "a paragraph a level" not in s.name
        ]
        if html
        else representative_text_shapes()
    )
    stage = WHOLE["summarize (library)"]
    steep = []
    for shape in shapes:
        finding = stage_growth(stage, shape, html_size(shape) if html else 2_000, rounds=1)
        if finding.too_steep:
            steep.append(finding.describe())
    assert not steep, "\n".join(steep)


@pytest.mark.hostile(
    "http",
    "An HTTP request body and a batch record of any generated shape are read in linear time.",
)
def test_request_bodies_and_batch_records_grow_linearly():
    steep = []
    for name in ("HTTP request body", "batch record"):
        for shape in representative_text_shapes():
            finding = stage_growth(WHOLE[name], shape, 5_000, rounds=2)
            if finding.too_steep:
                steep.append(finding.describe())
    assert not steep, "\n".join(steep)


@pytest.mark.hostile(
    "library",
    "A word followed by a run of 40,000 punctuation marks is counted in linear time "
    "(it took 25 s).",
)
@pytest.mark.parametrize("mark", [".", "-", "!?", "…", "\u0301"])
def test_a_run_of_punctuation_after_a_word_is_counted_fast(mark):
    shape = Shape("run", lambda n: "word " + mark * (n // len(mark)))
    stage = next(s for s in stages() if s.name == "count words")
    finding = stage_growth(stage, shape, 10_000)
    assert not finding.too_steep, finding.describe()
    assert count_words("word " + mark * 40_000) == 1


def _nested_page(depth: int, tag: str = "ul") -> str:
    level = f"<{tag}><li><p>{PARAGRAPH}</p>"
    return f"<html><body><article>{level * depth}{f'</li></{tag}>' * depth}</article></body></html>"


@pytest.mark.hostile(
    "library",
    "A page of lists or tables nested hundreds deep with a paragraph at every level is prepared "
    "in under a second, and what is extracted is never more text than the page holds.",
)
@pytest.mark.parametrize("tag", ["ul", "ol", "table"])
def test_nested_markup_is_extracted_once(tag):
    from summarizer.text.extract import extract_article

    if tag == "table":
        level = f"<table><tr><td><p>{PARAGRAPH}</p>"
        page = (
            f"<html><body><article>{level * 400}{'</td></tr></table>' * 400}"
            "</article></body></html>"
        )
    else:
        page = _nested_page(400, tag)
    article = extract_article(page)
    extracted = sum(len(block.text) for block in article.blocks)
    assert 0 < extracted <= len(page)
    stage = WHOLE["prepare"]
    assert cpu_seconds(stage, page) < 1.0


def test_extracted_text_larger_than_the_page_is_refused_before_blocks(monkeypatch):
    from lxml import etree

    from summarizer.errors import InputError
    from summarizer.text import extract

    made = []
    monkeypatch.setattr(extract, "_blocks", lambda *a: made.append(1) or [])
    body = etree.fromstring("<body><p>" + "word " * 1000 + "</p></body>")
    with pytest.raises(InputError, match="larger than the page"):
        extract._check_amplification(body, 100)
    extract._check_amplification(body, 10_000)
    assert not made


@pytest.mark.slow
@pytest.mark.parametrize("html", [False, True], ids=["text", "html"])
def test_every_stage_grows_linearly_on_every_shape(html):
    shapes = html_shapes() if html else representative_text_shapes()
    steep = []
    for stage in stages_for(html):
        for shape in shapes:
            finding = stage_growth(stage, shape, html_size(shape) if html else 2_000, rounds=2)
            # Under the harness's screen time at 4n, a ratio is timer noise (a shape whose
            # sentences are dropped at n but not at 4n read x16 at 0.03 ms vs 0.49 ms), while a
            # quadratic pass at that size takes far longer.
            if finding.too_steep and finding.growth.large >= SCREEN_SECONDS:
                steep.append(finding.describe())
    assert not steep, "\n".join(steep)


# CPU seconds a whole summary may take at the largest allowed input. The target is 2 s for both:
# known misses, bounded here: a 3 MB page of 14,000 table rows takes about 3.3 s (trafilatura's
# pruning and scoring about half, the classification of each extracted line the rest), and
# 300,000 characters of "word 3. 3. 3. ..." 2.9 s.
# 4.6 s (text) and 4.7 s (pages) seen under load here: the bound is twice that, far below what a
# quadratic stage takes at this size (minutes).
LARGEST_INPUT_CPU = {False: 8.0, True: 8.0}


@pytest.mark.slow
@pytest.mark.hostile(
    "library",
    "A summary of any generated shape at the largest allowed input (300,000 characters of text, "
    "a 3,000,000-character page) takes at most 8 s of CPU (the target, 2 s, is missed by a few "
    "shapes: 2.9-4.7 s measured).",
)
@pytest.mark.parametrize("html", [False, True], ids=["text", "html"])
def test_the_largest_input_of_any_shape_is_summarized_within_its_bound(html):
    shapes = html_shapes() if html else representative_text_shapes()
    limit = MAX_HTML_CHARS if html else MAX_INPUT_CHARS
    stage = WHOLE["summarize (library)"]
    over = []
    for shape in shapes:
        raw = shape.build(limit)[:limit]
        seconds = cpu_seconds(stage, raw)
        if seconds > LARGEST_INPUT_CPU[html]:
            over.append(f"{shape.name}: {seconds:.2f} s CPU for {len(raw):,} characters")
    assert not over, "\n".join(over)

"""The offline default must beat the lead baselines, stay fast, and skip datelines and bylines."""

import statistics
import time

import pytest

from summarizer import Summarizer
from summarizer.engines.extractive import ExtractiveEngine, clean_sentences
from summarizer.evaluation import LeadEngine, evaluate, load_dataset
from summarizer.options import SummaryOptions
from tests.summarizer.evaluation.conftest import DEV, SAMPLE, needs_dev


@pytest.mark.slow
@needs_dev
def test_default_engine_beats_lead_3_on_the_dev_set():
    result = evaluate(
        {"extractive": "extractive", "lead-3": LeadEngine(3)}, load_dataset(DEV), progress=False
    )
    means = result.per_article.groupby("system")[["rouge1", "rouge2", "rougeLsum"]].mean()
    for metric in ("rouge1", "rouge2", "rougeLsum"):
        assert means.loc["extractive", metric] > means.loc["lead-3", metric], metric


@pytest.mark.slow
@needs_dev
def test_short_beats_lead_1_on_single_sentence_references():
    examples = load_dataset(DEV, reference_lines=1)  # first highlight: a one-sentence reference
    result = evaluate(
        {"short": "extractive", "lead-1": LeadEngine(1)}, examples, length="short", progress=False
    )
    means = result.per_article.groupby("system")[["rouge1", "rouge2", "rougeLsum"]].mean()
    for metric in ("rouge1", "rouge2", "rougeLsum"):
        assert means.loc["short", metric] > means.loc["lead-1", metric], metric


def test_engine_is_fast_enough_for_web_requests():
    summarizer = Summarizer.load("extractive")
    docs = [summarizer.prepare(e.article) for e in load_dataset(SAMPLE)]
    engine, options = summarizer.engine, SummaryOptions()
    timings = []
    for doc in docs * 3:
        began = time.perf_counter()
        engine.summarize_batch([doc], options)
        timings.append(time.perf_counter() - began)
    assert statistics.median(timings) < 0.050


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("(CNN)Soon, America will be too fat to fight.", "Soon, America will be too fat to fight."),
        ("WASHINGTON (CNN) -- The Senate voted on Monday.", "The Senate voted on Monday."),
        ("LONDON, England (Reuters) - Prices rose again.", "Prices rose again."),
        ("PARIS — The museum reopened its doors.", "The museum reopened its doors."),
        ("By . Jane Doe . The council met on Monday.", "The council met on Monday."),
        ("The Senate (upper house) voted on Monday.", "The Senate (upper house) voted on Monday."),
    ],
)
def test_datelines_and_bylines_are_removed_from_sentences(sentence, expected):
    assert clean_sentences([sentence]) == [expected]


def test_glued_sentences_are_split_and_stay_article_text():
    article = (
        "A toddler died of internal injuries in a locked room, a court has heard.Shocking "
        "allegations about the death were revealed on Wednesday at a bail hearing in Brisbane. "
        "The two men accused of the crime were granted bail by the magistrate."
    )
    summary = Summarizer(ExtractiveEngine()).summarize(article, length="short")
    first = "A toddler died of internal injuries in a locked room, a court has heard."
    assert summary.text == first
    assert summary.text in article

import numpy as np
import pytest

from summarizer.evaluation import bootstrap_ci, paired_bootstrap
from summarizer.evaluation.metrics import (
    named_spans,
    novel_ngram_share,
    unsupported_entities,
    unsupported_numbers,
)

ARTICLE = (
    "Tim Sherwood said Aston Villa must win against QPR on Tuesday. "
    "The club has 1,000 season-ticket holders and lost 3 games."
)


def test_novel_ngrams():
    assert novel_ngram_share("Aston Villa must win", ARTICLE, 2) == 0.0
    assert novel_ngram_share("Villa must lose badly", ARTICLE, 1) == pytest.approx(0.5)
    assert novel_ngram_share("", ARTICLE, 2) == 0.0


def test_unsupported_numbers_ignore_formatting():
    assert unsupported_numbers("Villa have 1000 holders and lost 3.", ARTICLE) == []
    assert unsupported_numbers("Villa lost 4 games in 2015.", ARTICLE) == ["2015", "4"]


def test_unsupported_entities():
    assert unsupported_entities("Sherwood wants Aston Villa to beat QPR.", ARTICLE) == []
    assert unsupported_entities("The Chelsea boss Jose Mourinho praised Villa.", ARTICLE) == [
        "Chelsea",
        "Jose Mourinho",
    ]
    assert "The" not in named_spans("The club won. But it lost.")


def test_bootstrap_interval_contains_the_mean_and_shrinks_with_data():
    rng = np.random.default_rng(1)
    small, large = rng.normal(40, 10, 30), rng.normal(40, 10, 3000)
    low, high = bootstrap_ci(small)
    assert low < small.mean() < high
    low_l, high_l = bootstrap_ci(large)
    assert high_l - low_l < (high - low) / 4
    assert bootstrap_ci(small, seed=3) == bootstrap_ci(small, seed=3)


def test_paired_bootstrap_detects_a_consistent_gain():
    rng = np.random.default_rng(2)
    base = rng.normal(40, 10, 200)
    result = paired_bootstrap(base + 1.0 + rng.normal(0, 0.5, 200), base)
    assert result["low"] > 0 and result["p_not_better"] == 0.0
    same = paired_bootstrap(base, base + rng.normal(0, 1, 200))
    assert same["low"] < 0 < same["high"]

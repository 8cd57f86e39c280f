"""Fixtures shared by the whole suite. Nothing here touches the network."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

# Before transformers / huggingface_hub are imported anywhere: no network, no user cache.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Tiny test models gain nothing from threads, and on a busy 2-core machine OpenMP threads that
# spin against other processes make generation ten times slower. Subprocesses inherit this.
os.environ.setdefault("OMP_NUM_THREADS", "1")

# Checks every @pytest.mark.hostile and writes docs/reliability.md (--reliability-doc).
pytest_plugins = ["tests.reliability"]

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED_EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture(autouse=True)
def _isolated_model_dirs(tmp_path_factory, monkeypatch):
    """Each test sees an empty models folder and HF cache unless it sets its own."""
    base = tmp_path_factory.mktemp("env")
    monkeypatch.setenv("SUMMARIZER_MODELS_DIR", str(base / "models"))
    monkeypatch.setenv("HF_HOME", str(base / "hf"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)


@pytest.fixture(scope="session")
def sample_rows() -> list[dict]:
    with (SAMPLES / "cnndm_sample.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.fixture(scope="session")
def articles(sample_rows) -> list[str]:
    return [row["article"] for row in sample_rows]


@pytest.fixture(scope="session")
def long_article(articles) -> str:
    """About 10,000 words, as one paragraph per source article."""
    text, words = [], 0
    i = 0
    while words < 10_000:
        text.append(articles[i % len(articles)])
        words += len(articles[i % len(articles)].split())
        i += 1
    return "\n\n".join(text)


@pytest.fixture(scope="session")
def tiny_bart(tmp_path_factory, articles) -> Path:
    from summarizer.testing import build_checkpoint

    return build_checkpoint(tmp_path_factory.mktemp("ckpt") / "tiny-bart", "bart", articles)


@pytest.fixture(scope="session")
def tiny_t5(tmp_path_factory, articles) -> Path:
    from summarizer.testing import build_checkpoint

    return build_checkpoint(
        tmp_path_factory.mktemp("ckpt") / "tiny-t5",
        "t5",
        articles,
        vocab_size=600,
        task_specific_params={"summarization": {"prefix": "summarize: ", "num_beams": 2}},
    )


@pytest.fixture(scope="session")
def bart_engine(tiny_bart):
    from summarizer.engines.seq2seq import Seq2SeqEngine

    return Seq2SeqEngine(tiny_bart, model_id="tiny-bart", device="cpu")

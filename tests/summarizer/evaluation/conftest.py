"""Fixtures for the evaluation tests; the full dev set lives outside the repository."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLES, SHARED_EVAL

DEV = SHARED_EVAL / "dev.jsonl"
TESTVECTORS = SHARED_EVAL / "rouge_testvectors"
SAMPLE = SAMPLES / "cnndm_sample.jsonl"

needs_dev = pytest.mark.skipif(
    not DEV.is_file(), reason=f"{DEV} is absent (the shared evaluation data sits next to the repo)"
)
needs_testvectors = pytest.mark.skipif(
    not (TESTVECTORS / "expected.json").is_file(),
    reason=f"{TESTVECTORS} is absent (the shared evaluation data sits next to the repo)",
)

WEB_DEV = SHARED_EVAL / "web" / "dev.jsonl.gz"
needs_web_dev = pytest.mark.skipif(
    not WEB_DEV.is_file(),
    reason=f"{WEB_DEV} is absent (the shared evaluation data sits next to the repo)",
)

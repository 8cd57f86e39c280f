"""Helpers for tests and benchmarks: random-weight checkpoints with the real architectures."""

from summarizer.testing.checkpoints import build_checkpoint, train_tokenizer

__all__ = ["build_checkpoint", "train_tokenizer"]

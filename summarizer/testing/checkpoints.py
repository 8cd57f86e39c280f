"""Build seq2seq checkpoints on the spot: a tokenizer trained on given texts and random weights.

Speed does not depend on weight values, so a random model with a real architecture's config is
what the benchmarks measure; tiny configs drive the real loading and generation code in tests.
Everything is saved the way a downloaded checkpoint is: safetensors, tokenizer files, config.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

TINY: dict[str, dict[str, Any]] = {
    "bart": dict(
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=128,
    ),
    "t5": dict(d_model=32, d_kv=8, d_ff=64, num_layers=1, num_decoder_layers=1, num_heads=2),
}
BART_SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]


def train_tokenizer(family: str, texts: Iterable[str], folder: Path, vocab_size: int) -> Any:
    """A BART (byte-level BPE) or T5 (unigram sentencepiece-style) tokenizer, saved to folder."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = list(texts)
    if family in ("bart", "pegasus", "led"):
        from tokenizers import ByteLevelBPETokenizer
        from transformers import BartTokenizer

        bpe = ByteLevelBPETokenizer()
        bpe.train_from_iterator(
            texts,
            vocab_size=vocab_size,
            min_frequency=2,
            special_tokens=BART_SPECIALS,
            show_progress=False,
        )
        bpe.save_model(str(folder))
        tokenizer = BartTokenizer(
            vocab=str(folder / "vocab.json"), merges=str(folder / "merges.txt")
        )
    elif family == "t5":
        from tokenizers import SentencePieceUnigramTokenizer
        from transformers import T5Tokenizer

        unigram = SentencePieceUnigramTokenizer()
        unigram.train_from_iterator(
            texts,
            vocab_size=vocab_size,
            show_progress=False,
            special_tokens=["<pad>", "</s>", "<unk>"],
            unk_token="<unk>",
        )
        vocab = [tuple(pair) for pair in json.loads(unigram.to_str())["model"]["vocab"]]
        tokenizer = T5Tokenizer(vocab=vocab, extra_ids=0)
    else:
        raise ValueError(f"no tokenizer recipe for family {family!r}")
    tokenizer.save_pretrained(folder)
    return tokenizer


def build_checkpoint(
    folder: str | Path,
    family: str,
    texts: Iterable[str],
    *,
    config: Mapping[str, Any] | None = None,
    vocab_size: int = 1000,
    seed: int = 0,
    task_specific_params: Mapping[str, Any] | None = None,
) -> Path:
    """Save a random-weight ``family`` checkpoint to ``folder`` and return the folder.

    ``config`` overrides the architecture (default: a tiny one); the vocabulary always matches
    the trained tokenizer exactly, so converters that size embeddings from it agree.
    """
    import torch
    from transformers import (
        BartConfig,
        BartForConditionalGeneration,
        T5Config,
        T5ForConditionalGeneration,
    )

    folder = Path(folder)
    tokenizer = train_tokenizer(family, texts, folder, vocab_size)
    settings = {**TINY[family], **(config or {}), "vocab_size": len(tokenizer)}
    if task_specific_params:
        settings["task_specific_params"] = dict(task_specific_params)
    torch.manual_seed(seed)
    if family == "bart":
        cfg = BartConfig(
            pad_token_id=tokenizer.pad_token_id,
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            decoder_start_token_id=tokenizer.eos_token_id,
            forced_bos_token_id=tokenizer.bos_token_id,
            forced_eos_token_id=tokenizer.eos_token_id,
            **settings,
        )
        model = BartForConditionalGeneration(cfg)
    elif family == "t5":
        cfg = T5Config(
            pad_token_id=tokenizer.pad_token_id,
            eos_token_id=tokenizer.eos_token_id,
            decoder_start_token_id=tokenizer.pad_token_id,
            **settings,
        )
        model = T5ForConditionalGeneration(cfg)
    else:
        raise ValueError(f"no model recipe for family {family!r}")
    model.eval()
    model.save_pretrained(folder, safe_serialization=True)
    return folder

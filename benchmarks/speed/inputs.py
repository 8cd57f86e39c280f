"""What the rows run on: random-weight checkpoints, their int8 conversion, the articles cut."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from benchmarks.speed import ROOT

DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
SAMPLE = ROOT / "samples" / "cnndm_sample.jsonl"


def read_articles(limit: int) -> tuple[list[str], Path]:
    path = DEV if DEV.is_file() else SAMPLE
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return [r["article"] for r in rows[:limit]], path


def build(name: str, arch: dict[str, Any], work: Path, corpus: list[str]) -> Path:
    """A random-weight checkpoint with the architecture, its embeddings padded to the real
    vocabulary size; cached in ``work`` under a hash of the recipe."""
    recipe = json.dumps(arch, sort_keys=True).encode()
    folder = work / f"{name}-{hashlib.sha256(recipe).hexdigest()[:10]}"
    if (folder / "model.safetensors").is_file():
        return folder
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from summarizer.testing import build_checkpoint

    print(f"building {name} (random weights, tokenizer trained on {len(corpus)} articles)")
    tmp = folder.with_suffix(".tmp")
    summarization = {"prefix": arch["prefix"]} if "prefix" in arch else None
    build_checkpoint(
        tmp,
        arch["family"],
        corpus,
        config=arch["config"],
        vocab_size=arch["vocab_size"],
        task_specific_params={"summarization": summarization} if summarization else None,
    )
    model = AutoModelForSeq2SeqLM.from_pretrained(tmp)
    tokenizer = AutoTokenizer.from_pretrained(tmp)
    if model.config.vocab_size < arch["vocab_size"]:
        model.resize_token_embeddings(arch["vocab_size"], mean_resizing=False)
    for key, value in arch["generation"].items():
        setattr(model.generation_config, key, value)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    for path in tmp.iterdir():
        path.unlink()
    tmp.rmdir()
    return folder


def converted(checkpoint: Path) -> Path:
    """The int8 CTranslate2 conversion, made once and kept beside the checkpoint."""
    target = checkpoint.with_name(checkpoint.name + "-ct2-int8")
    if not (target / "model.bin").is_file():
        from summarizer.convert import convert

        convert(str(checkpoint), target, "int8", force=True)
    return target


def cut(checkpoint: Path, articles: list[str], arch: dict[str, Any]) -> list[str]:
    """Each article cut to what fits the model's input window (prefix and specials included)."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    prefix = arch.get("prefix", "")
    budget = arch["max_input_tokens"] - len(tokenizer(prefix)["input_ids"]) - 2
    out = []
    for text in articles:
        ids = tokenizer(text, add_special_tokens=False)["input_ids"][:budget]
        out.append(tokenizer.decode(ids).strip())
    return out

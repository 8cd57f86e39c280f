"""PyTorch engine over any ``AutoModelForSeq2SeqLM`` checkpoint (BART, PEGASUS, T5, LED, ...).

Only safetensors weights are loaded and remote code is never run. Generation defaults come from
the checkpoint (its generation config and ``task_specific_params['summarization']``), then the
model's manifest, then explicit overrides; the summary length always comes from the options.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from summarizer.engines.abstractive import AbstractiveEngine
from summarizer.errors import ModelLoadError, UnsafeCheckpointError

log = logging.getLogger(__name__)

PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl")
# Fallbacks when neither the checkpoint nor its manifest says how long its input may be.
DEFAULT_MAX_INPUT_TOKENS = 512
SANE_TOKEN_LIMIT = 100_000
LENGTH_KEYS = ("max_length", "min_length", "max_new_tokens", "min_new_tokens")


def check_safetensors(folder: Path) -> None:
    """Refuse a local checkpoint that only has pickle weights (which can run code on load)."""
    if any(folder.glob("*.safetensors")):
        return
    pickled = sorted(p.name for p in folder.iterdir() if p.suffix in PICKLE_SUFFIXES)
    if pickled:
        raise UnsafeCheckpointError(
            f"{folder} has only pickle weights ({', '.join(pickled)}); refusing to load them. "
            "Convert the checkpoint to safetensors on a trusted machine "
            "(model.save_pretrained(folder, safe_serialization=True)) and copy it back."
        )
    raise ModelLoadError(f"{folder} has no model weights (*.safetensors)")


def resolve_device(device: str) -> str:
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ModelLoadError(f"device {device!r} was asked for but CUDA is not available")
    return device


class Seq2SeqEngine(AbstractiveEngine):
    name = "seq2seq"

    def __init__(
        self,
        source: str | Path,
        *,
        model_id: str | None = None,
        device: str = "auto",
        threads: int | None = None,
        batch_size: int = 8,
        local_files_only: bool = True,
        max_input_tokens: int | None = None,
        prefix: str | None = None,
        generation: Mapping[str, Any] | None = None,
        quantize: bool = False,
    ) -> None:
        import torch
        import transformers
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        transformers.utils.logging.disable_progress_bar()
        if threads:
            torch.set_num_threads(threads)
        source = str(source)
        if Path(source).is_dir():
            check_safetensors(Path(source))
            source = str(Path(source).resolve())
        self.source = source
        self.quantized = quantize
        self.device = resolve_device(device)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(
                source, local_files_only=local_files_only, trust_remote_code=False
            )
            self.model = AutoModelForSeq2SeqLM.from_pretrained(
                source,
                local_files_only=local_files_only,
                trust_remote_code=False,
                use_safetensors=True,
            )
        except Exception as exc:  # safetensors, torch and transformers raise many types
            raise ModelLoadError(
                f"could not load seq2seq checkpoint {source!r}: {type(exc).__name__}: {exc}"
            ) from exc
        self.model.eval().to(self.device)
        if quantize:
            if self.device != "cpu":
                raise ModelLoadError("dynamic int8 quantization is for CPU inference only")
            self.model = torch.ao.quantization.quantize_dynamic(
                self.model, {torch.nn.Linear}, dtype=torch.qint8
            )
        config = self.model.config
        self.family = config.model_type
        summarization = dict(
            (getattr(config, "task_specific_params", None) or {}).get("summarization", {})
        )
        if prefix is None:
            prefix = summarization.get("prefix")
        if prefix is None:
            prefix = "summarize: " if self.family in ("t5", "mt5", "umt5") else ""
        self.prefix = prefix
        self.generation_config = self._generation_config(summarization, generation or {})
        super().__init__(
            model_id or source,
            max_input_tokens=max_input_tokens or self._max_input_tokens(),
            max_output_tokens=self._max_output_tokens(),
            batch_size=batch_size,
        )
        log.debug("loaded %s (%s) on %s", self.model_id, self.family, self.device)

    # --- configuration taken from the checkpoint --------------------------------------------

    def _generation_config(
        self, summarization: Mapping[str, Any], overrides: Mapping[str, Any]
    ) -> Any:
        config = copy.deepcopy(self.model.generation_config)
        settings = {k: v for k, v in summarization.items() if k != "prefix"}
        settings.update(overrides)
        for key, value in settings.items():
            if key not in LENGTH_KEYS:  # the summary length always comes from the options
                setattr(config, key, value)
        for key in LENGTH_KEYS:
            setattr(config, key, None)
        return config

    def _max_input_tokens(self) -> int:
        config = self.model.config
        for key in ("max_encoder_position_embeddings", "max_position_embeddings", "n_positions"):
            value = getattr(config, key, None)
            if isinstance(value, int) and 0 < value < SANE_TOKEN_LIMIT:
                return value
        limit = getattr(self.tokenizer, "model_max_length", None)
        if isinstance(limit, int) and 0 < limit < SANE_TOKEN_LIMIT:
            return limit
        return DEFAULT_MAX_INPUT_TOKENS

    def _max_output_tokens(self) -> int:
        config = self.model.config
        # Learned decoder positions cap the output; relative ones (T5) do not.
        for key in ("max_decoder_position_embeddings", "max_position_embeddings"):
            value = getattr(config, key, None)
            if isinstance(value, int) and 0 < value < SANE_TOKEN_LIMIT:
                return value - 2
        return 512

    def fingerprint(self) -> str:
        settings = {
            "source": self.source,
            "prefix": self.prefix,
            "max_input_tokens": self.max_input_tokens,
            "quantized": self.quantized,
            "generation": self.generation_config.to_diff_dict(),
        }
        digest = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode())
        return f"{super().fingerprint()}:{digest.hexdigest()[:16]}"

    def describe(self) -> dict[str, Any]:
        return {
            **super().describe(),
            "family": self.family,
            "device": self.device,
            "num_beams": self.generation_config.num_beams or 1,
        }

    # --- the two primitives the map-reduce plan needs ---------------------------------------

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        encoded = self.tokenizer(
            [self.prefix + t for t in texts], add_special_tokens=True, truncation=False
        )
        return [len(ids) for ids in encoded["input_ids"]]

    def generate(
        self, texts: Sequence[str], *, min_new_tokens: int, max_new_tokens: int
    ) -> list[str]:
        import torch

        batch = self.tokenizer(
            [self.prefix + t for t in texts], return_tensors="pt", padding=True, truncation=False
        )
        if batch["input_ids"].shape[1] > self.max_input_tokens:
            # The planner guarantees this never happens; refusing beats silently truncating.
            raise RuntimeError(
                f"window of {batch['input_ids'].shape[1]} tokens exceeds {self.max_input_tokens}"
            )
        batch = {k: v.to(self.device) for k, v in batch.items()}
        if self.family == "led":
            global_mask = torch.zeros_like(batch["attention_mask"])
            global_mask[:, 0] = 1
            batch["global_attention_mask"] = global_mask
        config = copy.copy(self.generation_config)
        config.max_new_tokens = max_new_tokens
        config.min_new_tokens = min_new_tokens
        with torch.inference_mode():
            output = self.model.generate(**batch, generation_config=config)
        return [t.strip() for t in self.tokenizer.batch_decode(output, skip_special_tokens=True)]

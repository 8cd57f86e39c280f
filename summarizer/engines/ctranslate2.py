"""CTranslate2 engine: the same map-reduce plan as the PyTorch engine, run by CTranslate2.

A converted folder (``summarizer models convert``) holds the model, its tokenizer and
``summarizer.json`` with the generation settings the PyTorch engine would use for the source
checkpoint. Two differences between the runtimes are bridged here: CTranslate2 counts
``max_decoding_length`` after the decoder-start token and does not force EOS at the last
position, and BART's forced ``<s>`` first token is passed as ``target_prefix``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from summarizer.convert import PAD_TOKEN_PREFIX, SETTINGS_FILE
from summarizer.engines.abstractive import AbstractiveEngine, Batch
from summarizer.errors import ModelLoadError

log = logging.getLogger(__name__)

# Settings translate_batch understands, by their transformers name → CTranslate2 name.
GENERATION_ARGS = {
    "num_beams": "beam_size",
    "length_penalty": "length_penalty",
    "no_repeat_ngram_size": "no_repeat_ngram_size",
    "repetition_penalty": "repetition_penalty",
}

INT_ARGS = ("beam_size", "no_repeat_ngram_size")


def resolve_device(device: str) -> tuple[str, int]:
    import ctranslate2

    cuda = ctranslate2.get_cuda_device_count() > 0
    if device == "auto":
        return ("cuda" if cuda else "cpu"), 0
    kind, _, index = device.partition(":")
    if kind == "cuda" and not cuda:
        raise ModelLoadError(f"device {device!r} was asked for but CUDA is not available")
    if kind not in ("cpu", "cuda"):
        raise ModelLoadError(f"unknown device {device!r}")
    return kind, int(index or 0)


class CTranslate2Engine(AbstractiveEngine):
    name = "ctranslate2"

    def __init__(
        self,
        folder: str | Path,
        *,
        model_id: str | None = None,
        device: str = "auto",
        threads: int | None = None,
        inter_threads: int = 1,
        batch_size: int = 8,
        compute_type: str = "default",
        max_input_tokens: int | None = None,
        prefix: str | None = None,
        generation: Mapping[str, Any] | None = None,
    ) -> None:
        try:
            import ctranslate2
        except ImportError:
            raise ModelLoadError(
                "this model needs CTranslate2: pip install 'article-summarizer[ct2]'"
            ) from None
        # The `tokenizers` library reads the tokenizer transformers saved, without importing
        # torch: about 240 MB less resident memory for an engine that does not need it.
        from tokenizers import Tokenizer

        folder = Path(folder)
        settings_path = folder / SETTINGS_FILE
        if not settings_path.is_file():
            raise ModelLoadError(
                f"{folder} has no {SETTINGS_FILE}; convert it with `summarizer models convert`"
            )
        try:
            self.settings = json.loads(settings_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelLoadError(
                f"{settings_path} is unreadable: {type(exc).__name__}: {exc}"
            ) from None
        self.folder = folder.resolve()
        self.device, index = resolve_device(device)
        try:
            self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            self.translator = ctranslate2.Translator(
                str(folder),
                device=self.device,
                device_index=index,
                compute_type=compute_type,
                intra_threads=threads or 0,
                inter_threads=inter_threads,
            )
        except Exception as exc:  # tokenizers and CTranslate2 raise plain Exception types
            raise ModelLoadError(f"could not load CTranslate2 model {folder}: {exc}") from exc
        self.inter_threads = max(1, inter_threads)
        self.family = self.settings["family"]
        self.prefix = self.settings["prefix"] if prefix is None else prefix
        self.target_prefix: list[str] = list(self.settings.get("target_prefix") or [])
        self.forced_eos = bool(self.settings.get("forced_eos"))
        self.generation = {**self.settings.get("generation", {}), **(generation or {})}
        unsupported = sorted(set(self.generation) - set(GENERATION_ARGS) - {"early_stopping"})
        if unsupported:
            log.warning("CTranslate2 ignores these generation settings: %s", unsupported)
        super().__init__(
            model_id or folder.name,
            max_input_tokens=max_input_tokens or self.settings["max_input_tokens"],
            max_output_tokens=self.settings["max_output_tokens"],
            batch_size=batch_size,
        )
        log.debug("loaded %s (%s, CTranslate2) on %s", self.model_id, self.family, self.device)

    def fingerprint(self) -> str:
        settings = {
            "folder": str(self.folder),
            "prefix": self.prefix,
            "max_input_tokens": self.max_input_tokens,
            "generation": self.generation,
            "target_prefix": self.target_prefix,
        }
        digest = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode())
        return f"{super().fingerprint()}:{digest.hexdigest()[:16]}"

    def describe(self) -> dict[str, Any]:
        return {
            **super().describe(),
            "family": self.family,
            "device": self.device,
            "quantization": self.settings.get("quantization"),
            "compute_type": self.translator.compute_type,
            "num_beams": int(self.generation.get("num_beams") or 1),
            "replicas": self.inter_threads,
        }

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        return [len(e.ids) for e in self._encode(texts)]

    def _encode(self, texts: Sequence[str]) -> list[Any]:
        return self.tokenizer.encode_batch(
            [self.prefix + t for t in texts], add_special_tokens=True
        )

    def decoding_options(self, min_new_tokens: int, max_new_tokens: int) -> dict[str, Any]:
        """translate_batch arguments equal to transformers' ``generate`` with these limits.

        Both count the forced first token (``target_prefix``) as generated; transformers forces
        EOS as the last new token where the model has ``forced_eos_token_id``, which CTranslate2
        does not do, so its limit is one lower and the text is the same.
        """
        max_length = max_new_tokens - 1 if self.forced_eos else max_new_tokens
        max_length = max(max_length, len(self.target_prefix) + 1)
        options = {
            "max_decoding_length": max_length,
            "min_decoding_length": min(min_new_tokens, max_length),
            "max_input_length": 0,  # the plan guarantees the window fits; never truncate
        }
        for key, arg in GENERATION_ARGS.items():
            value = self.generation.get(key)
            if value is not None:
                options[arg] = int(value) if arg in INT_ARGS else float(value)
        options.setdefault("beam_size", 1)
        return options

    def generate(
        self, texts: Sequence[str], *, min_new_tokens: int, max_new_tokens: int
    ) -> list[str]:
        source, prefix = self._source(texts)
        # A lone batch is split between the replicas (inter_threads), so none of them idles.
        split = -(-len(source) // self.inter_threads) if self.inter_threads > 1 else 0
        results = self.translator.translate_batch(
            source,
            prefix,
            max_batch_size=split,
            **self.decoding_options(min_new_tokens, max_new_tokens),
        )
        return [self._decode(result.hypotheses[0]) for result in results]

    def generate_batches(self, batches: Sequence[Batch]) -> list[list[str]]:
        """With several replicas, all batches are queued at once: each replica takes the next
        batch as soon as it is free, instead of waiting for the others at every batch."""
        if self.inter_threads == 1 or len(batches) == 1:
            return super().generate_batches(batches)
        pending = []
        for batch in batches:
            source, prefix = self._source(batch.texts)
            options = self.decoding_options(batch.min_new_tokens, batch.max_new_tokens)
            pending.append(
                self.translator.translate_batch(source, prefix, asynchronous=True, **options)
            )
        return [[self._decode(r.result().hypotheses[0]) for r in results] for results in pending]

    def _source(self, texts: Sequence[str]) -> tuple[list[list[str]], list[list[str]] | None]:
        source = [e.tokens for e in self._encode(texts)]
        longest = max((len(tokens) for tokens in source), default=0)
        if longest > self.max_input_tokens:
            raise RuntimeError(f"window of {longest} tokens exceeds {self.max_input_tokens}")
        prefix = [list(self.target_prefix) for _ in texts] if self.target_prefix else None
        return source, prefix

    def _decode(self, tokens: Sequence[str]) -> str:
        tokens = [t for t in tokens if not t.startswith(PAD_TOKEN_PREFIX)]
        ids = [self.tokenizer.token_to_id(t) for t in tokens]
        return self.tokenizer.decode(
            [i for i in ids if i is not None], skip_special_tokens=True
        ).strip()

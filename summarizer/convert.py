"""Convert a seq2seq checkpoint to a CTranslate2 model folder the ``ctranslate2`` engine can run.

The folder holds CTranslate2's ``model.bin`` and vocabulary, the tokenizer files, and
``summarizer.json``: the generation settings, input prefix, window sizes and decoder prefix the
PyTorch engine would use for the same checkpoint (read through ``Seq2SeqEngine``, so both engines
agree by construction). The engine needs nothing else.

Two snags of CTranslate2 4.x's converter are handled here rather than by pinning an old
transformers: transformers 5's ``BartConfig`` no longer has ``normalize_before`` (BART is post-norm,
so it is ``False``), and the BART converter takes its vocabulary from the tokenizer and only ever
cuts it to the embedding size, never pads it; an embedding matrix larger than the tokenizer (as in
``facebook/bart-large-cnn``: 50264 rows) gets placeholder tokens that are never produced as text.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from summarizer import registry
from summarizer.converted import PAD_TOKEN_PREFIX, SETTINGS_FILE, converted_name
from summarizer.errors import ModelLoadError, ModelNotFoundError
from summarizer.load_options import LoadOptions

log = logging.getLogger(__name__)

QUANTIZATIONS = ("int8", "int8_float32", "float16", "float32")
# Families CTranslate2 converts (LED has no converter: it stays on the PyTorch engine).
SUPPORTED_FAMILIES = ("bart", "pegasus", "t5", "mt5", "umt5", "mbart")
# Generation settings CTranslate2's translate_batch has an equivalent for.
GENERATION_KEYS = ("num_beams", "length_penalty", "no_repeat_ngram_size", "repetition_penalty")


class _PaddedTokenizer:
    """A tokenizer whose ``get_vocab`` is padded with placeholders up to the embedding size."""

    def __init__(self, tokenizer: Any, size: int) -> None:
        self._tokenizer = tokenizer
        self._size = size

    def get_vocab(self) -> dict[str, int]:
        vocab = dict(self._tokenizer.get_vocab())
        ids = sorted(vocab.values())
        if ids != list(range(len(ids))):
            raise ModelLoadError("the tokenizer's ids are not contiguous; cannot convert it")
        for i in range(len(vocab), self._size):
            vocab[f"{PAD_TOKEN_PREFIX}{i}>"] = i
        return vocab

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tokenizer, name)


def _converter_class() -> type:
    from ctranslate2.converters import TransformersConverter

    class Converter(TransformersConverter):
        """Reuses a model already loaded (safetensors only) and pads the vocabulary."""

        def __init__(self, source: str, model: Any, tokenizer: Any) -> None:
            super().__init__(source)
            self._model = model
            self._tokenizer = tokenizer

        def load_model(self, model_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
            config = self._model.config
            if config.model_type in ("bart", "pegasus") and not hasattr(config, "normalize_before"):
                config.normalize_before = False  # post-norm; the attribute left transformers 5
            return self._model

        def load_tokenizer(self, tokenizer_class: Any, model_name_or_path: str, **kw: Any) -> Any:
            size = self._model.get_input_embeddings().weight.shape[0]
            if len(self._tokenizer.get_vocab()) < size:
                log.info("padding the vocabulary from %d to %d tokens", len(self._tokenizer), size)
                return _PaddedTokenizer(self._tokenizer, size)
            return self._tokenizer

    return Converter


def _source_spec(source: str) -> registry.ModelSpec:
    spec = registry.resolve(source)
    if spec.engine == "ctranslate2":
        raise ModelLoadError(f"{source} is already a CTranslate2 model")
    if spec.engine != "seq2seq":
        raise ModelNotFoundError(f"{source} is not a seq2seq checkpoint that can be converted")
    if not Path(spec.source).is_dir():
        raise ModelNotFoundError(
            f"{source} has no local checkpoint; pull it first (`summarizer models pull`)"
        )
    return spec


def settings_for(engine: Any) -> dict[str, Any]:
    """What the CTranslate2 engine needs to generate exactly as ``engine`` (a Seq2SeqEngine)."""
    config = engine.generation_config
    model_config = engine.model.config
    generation = {}
    for key in GENERATION_KEYS:
        value = getattr(config, key, None)
        if value is not None:
            generation[key] = value
    target_prefix = []
    forced_bos = getattr(config, "forced_bos_token_id", None)
    if forced_bos is not None:
        target_prefix = [engine.tokenizer.convert_ids_to_tokens(forced_bos)]
    return {
        "family": engine.family,
        "prefix": engine.prefix,
        "max_input_tokens": engine.max_input_tokens,
        "max_output_tokens": engine.max_output_tokens,
        "generation": generation,
        "target_prefix": target_prefix,
        # transformers forces EOS as the last of max_new_tokens; CTranslate2 does not, so the
        # engine stops one token earlier to produce the same text.
        "forced_eos": getattr(config, "forced_eos_token_id", None) is not None,
        "vocab_size": int(model_config.vocab_size),
        "tokenizer_size": len(engine.tokenizer),
    }


def default_output(spec: registry.ModelSpec, quantization: str) -> Path:
    return registry.models_dir() / converted_name(spec.name, quantization)


def convert(
    source: str,
    output: str | Path | None = None,
    quantization: str = "int8",
    *,
    force: bool = False,
) -> Path:
    """Convert ``source`` (a name from models/ or a checkpoint folder) and return the folder."""
    if quantization not in QUANTIZATIONS:
        raise ModelLoadError(
            f"unknown quantization {quantization!r}; choose one of {', '.join(QUANTIZATIONS)}"
        )
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        raise ModelLoadError(
            "converting needs CTranslate2: pip install 'article-summarizer[ct2]'"
        ) from None
    from summarizer.engines.seq2seq import Seq2SeqEngine

    spec = _source_spec(source)
    target = Path(output) if output else default_output(spec, quantization)
    if target.exists() and any(target.iterdir()) and not force:
        raise ModelLoadError(f"{target} already exists and is not empty (use --force to replace)")
    engine = Seq2SeqEngine.from_spec(spec, LoadOptions(device="cpu"))
    if engine.family not in SUPPORTED_FAMILIES:
        raise ModelLoadError(
            f"CTranslate2 cannot convert the {engine.family!r} family; "
            "it stays on the PyTorch engine (seq2seq)"
        )
    converter = _converter_class()(spec.source, engine.model, engine.tokenizer)
    log.info("converting %s to %s (%s)", spec.source, target, quantization)
    try:
        converter.convert(str(target), quantization=quantization, force=True)
    except (ValueError, NotImplementedError, AttributeError, KeyError) as exc:
        raise ModelLoadError(f"CTranslate2 could not convert {source}: {exc}") from exc
    engine.tokenizer.save_pretrained(str(target))
    settings = {
        **settings_for(engine),
        "source": spec.name,
        "quantization": quantization,
    }
    (target / SETTINGS_FILE).write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    return target

"""What is measured: the architectures (typed in from the public checkpoints) and the workload."""

from __future__ import annotations

from typing import Any

NEW_TOKENS = 60
# The same decoding for every system (the fixed workload).
WORKLOAD = {"num_beams": 4, "no_repeat_ngram_size": 3}

# From each checkpoint's public config.json on the Hugging Face hub (typed in: the hub is not
# reachable from the benchmark machines). Generation settings are the checkpoint's own.
BART_CNN_GENERATION = {
    "num_beams": 4,
    "length_penalty": 2.0,
    "no_repeat_ngram_size": 3,
    "early_stopping": True,
    "min_length": 56,
    "max_length": 142,
    "forced_bos_token_id": 0,
    "forced_eos_token_id": 2,
}
BART_LARGE_CONFIG = dict(
    d_model=1024,
    encoder_layers=12,
    decoder_layers=12,
    encoder_attention_heads=16,
    decoder_attention_heads=16,
    encoder_ffn_dim=4096,
    decoder_ffn_dim=4096,
    max_position_embeddings=1024,
    activation_function="gelu",
    scale_embedding=False,
)
ARCHS: dict[str, dict[str, Any]] = {
    # distilbart-cnn-12-6 is bart-large-cnn with 6 of its 12 decoder layers.
    "distilbart-cnn-12-6": {
        "family": "bart",
        "vocab_size": 50264,
        "config": {**BART_LARGE_CONFIG, "decoder_layers": 6},
        "generation": BART_CNN_GENERATION,
        "max_input_tokens": 1024,
    },
    "t5-small": {
        "family": "t5",
        "vocab_size": 32128,
        "config": dict(
            d_model=512,
            d_ff=2048,
            d_kv=64,
            num_heads=8,
            num_layers=6,
            num_decoder_layers=6,
            relative_attention_num_buckets=32,
            feed_forward_proj="relu",
        ),
        "generation": {
            "num_beams": 4,
            "length_penalty": 2.0,
            "no_repeat_ngram_size": 3,
            "early_stopping": True,
            "min_length": 30,
            "max_length": 200,
        },
        "prefix": "summarize: ",
        "max_input_tokens": 512,
    },
    "bart-large-cnn": {
        "family": "bart",
        "vocab_size": 50264,
        "config": BART_LARGE_CONFIG,
        "generation": BART_CNN_GENERATION,
        "max_input_tokens": 1024,
    },
}
QUICK_ARCH = {
    "family": "bart",
    "vocab_size": 1100,
    "config": {},  # summarizer.testing's tiny BART
    "generation": BART_CNN_GENERATION,
    "max_input_tokens": 128,
}
DEFAULT_MODELS = ["distilbart-cnn-12-6", "t5-small", "extractive"]
TARGETS_MODEL = DEFAULT_MODELS[0]  # the model the speed targets were set for (--targets-model)

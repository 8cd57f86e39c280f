"""The rows measured for one model, each a system at one setting in a child process of its own."""

from __future__ import annotations

import argparse
from typing import Any

BASELINE = "baseline: model.generate, 1 article at a time"
PYTORCH = "PyTorch engine"
CT2 = "CTranslate2 int8 engine"
KEPT_MEMORY_LABEL = "malloc keeps freed memory, as in the engines"


def ct2_label(batch: int, replicas: int, threads: int) -> str:
    if replicas == 1:
        return f"batch {batch}"
    return f"batch {batch}, {replicas} replicas x {max(1, threads // replicas)} thread"


def plan(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The rows to measure before the trade-offs, each one child process."""
    tb = args.torch_batch
    rows = [
        {"system": "baseline", "name": BASELINE, "batch": 1, "label": ""},
        {
            "system": "baseline",
            "name": BASELINE,
            "batch": 1,
            "keep_freed_memory": True,
            "label": KEPT_MEMORY_LABEL,
        },
        {"system": "pytorch", "name": PYTORCH, "batch": 1, "label": "batch 1"},
        {"system": "pytorch", "name": PYTORCH, "batch": tb, "label": f"batch {tb}"},
    ]
    if args.dynamic_int8:
        label = f"batch {tb}, dynamic int8"
        rows.append(
            {"system": "pytorch", "name": PYTORCH, "batch": tb, "quantize": True, "label": label}
        )
    rows.append({"system": "ctranslate2", "name": CT2, "batch": 1, "label": "batch 1"})
    for replicas in args.replicas:
        for batch in args.batches:
            label = ct2_label(batch, replicas, args.threads)
            rows.append(
                {
                    "system": "ctranslate2",
                    "name": CT2,
                    "batch": batch,
                    "replicas": replicas,
                    "label": label,
                }
            )
    return rows


def trade_offs(best: dict[str, Any]) -> list[dict[str, Any]]:
    """The fastest beam-4 CTranslate2 setting again with a smaller beam."""
    return [
        {**best, "label": f"{best['label']}, {name}", "generation": {"num_beams": beam}}
        for name, beam in (("beam 2", 2), ("greedy", 1))
    ]

"""The layout of a converted (CTranslate2) model folder, shared by the converter, the engine that
runs it and the registry that finds it: kept here so that none of them imports another."""

from __future__ import annotations

SETTINGS_FILE = "summarizer.json"  # generation settings of the source checkpoint
PAD_TOKEN_PREFIX = "<ct2_pad_"  # vocabulary padding tokens the engine drops when decoding
MARK = "-ct2-"  # NAME-ct2-QUANTIZATION: a converted copy of the model NAME


def converted_name(name: str, quantization: str) -> str:
    """The folder name ``summarizer models convert NAME`` writes by default."""
    return f"{name}{MARK}{quantization}"


def source_name(folder_name: str) -> str:
    """The model a converted folder was made from (its manifest's name): ``a-ct2-int8`` → ``a``."""
    return folder_name.split(MARK)[0]

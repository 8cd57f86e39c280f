"""Article summarization: one ``Summarizer`` for the CLI, HTTP service, batch jobs and notebooks.

>>> from summarizer import Summarizer
>>> summarizer = Summarizer.load()          # offline: a local checkpoint if any, else extractive
>>> print(summarizer.summarize(article_text, length="short"))
"""

import logging

from summarizer.core import CacheLookup, Summarizer
from summarizer.errors import (
    InputError,
    ModelLoadError,
    ModelNotFoundError,
    OptionsError,
    SummarizerError,
    UnsafeCheckpointError,
)
from summarizer.load_options import LoadOptions
from summarizer.options import SummaryOptions
from summarizer.summary import Coverage, Summary

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "CacheLookup",
    "Coverage",
    "InputError",
    "LoadOptions",
    "ModelLoadError",
    "ModelNotFoundError",
    "OptionsError",
    "Summarizer",
    "SummarizerError",
    "Summary",
    "SummaryOptions",
    "UnsafeCheckpointError",
]
__version__ = "0.1.0"

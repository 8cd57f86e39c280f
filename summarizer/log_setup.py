"""Logging settings shared by the command line and the HTTP service."""

from __future__ import annotations

import logging

# Libraries that log every HTTP call or file lock at INFO: WARNING and above only.
NOISY_LOGGERS = ("httpx", "httpcore", "urllib3", "filelock", "huggingface_hub")


def quiet_noisy_loggers() -> None:
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    # trafilatura logs WARNING/ERROR for ordinary input ("empty HTML tree", "discarding data");
    # the caller gets a clear InputError from summarizer.text.extract instead.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

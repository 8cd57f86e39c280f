"""The article's language: given by the caller, or detected with py3langid.

py3langid (a maintained fork of langid.py: 97 languages, its naive Bayes model shipped inside
the package, nothing downloaded) reads the first ``DETECT_CHARS`` characters of the article's
text: about a millisecond a page. The model loads once, on first use (under a second, about
76 MB resident per process).
benchmarks/language_detection.py measures it on the dev pages (docs/language-detection.md).
"""

from __future__ import annotations

import io
import lzma
import re
import threading

from summarizer.errors import InputError

# Enough text for a sure answer on an article; more only costs time.
DETECT_CHARS = 1000

# An ISO 639-1 code ("de"), optionally with a region or script ("pt-BR", "zh-Hant"): what HTML's
# lang attribute and HTTP's Content-Language carry.
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
_lock = threading.Lock()
_loaded = None


LANGUAGE_HELP = "a language code such as 'en', 'de' or 'pt-BR'"


def language_code(tag: object) -> str | None:
    """The primary subtag of a language tag, lowercased ("pt-BR" -> "pt"); None if ``tag`` is
    not a language tag."""
    if not isinstance(tag, str) or len(tag) > 35 or not _LANGUAGE_TAG.fullmatch(tag.strip()):
        return None
    return re.split(r"[-_]", tag.strip())[0].lower()


def normalize_language(language: str) -> str:
    """``language_code``, or an InputError naming what a language must look like."""
    code = language_code(language)
    if code is None:
        raise InputError(f"language must be {LANGUAGE_HELP}, not {language!r}")
    return code


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language ``text`` is written in."""
    return _identifier().classify(text[:DETECT_CHARS])[0]


def _identifier():  # py3langid has no type hints
    """The model, loaded once by whichever thread asks first."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = _load_model()
    return _loaded


def _load_model():  # py3langid has no type hints
    """py3langid's shipped model, decompressed in memory. Its own loader streams the model
    through a temporary file, which fails on a full or read-only disk (and then every article
    would fail to prepare); this reads the same arrays without touching the disk."""
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
    from py3langid.modelio import _to_array

    with lzma.open(MODEL_DIR / MODEL_FILE) as compressed:
        buffer = io.BytesIO(compressed.read())
    with np.load(buffer, allow_pickle=False) as data:
        return LanguageIdentifier(
            np.asarray(data["ptc"]),
            np.asarray(data["pc"]),
            data["classes"].tolist(),
            _to_array(data["nextmove"]),
            data["out_feat"].tolist(),
            tk_row=_to_array(data["nextmove_row"]),
        )

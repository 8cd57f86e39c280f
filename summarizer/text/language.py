"""The article's language: given by the caller, or detected with py3langid, or declared by the page.

py3langid (a maintained fork of langid.py: 97 languages, its naive Bayes model shipped inside
the package, nothing downloaded) reads the first ``DETECT_CHARS`` characters of the article's
text: about a millisecond a page. The model loads once, on first use (under a second, about
76 MB resident per process).
benchmarks/language_detection.py measures it on the dev pages (docs/language-detection.md).

Precedence: the caller's ``language``, then the detector when it is sure (its normalised
probability at least ``MIN_CONFIDENCE``), then what an HTML page declares (``<html lang>``, else
``og:locale``, else a ``Content-Language`` meta), then the detector's best guess. The detector
comes before the declaration because pages declare a wrong language (a site template's
default): on the dev pages 4 of the 171 declarations disagree with the hand-marked language,
while detection on the whole text gets all 197 pages right. On short text the order turns: on
the first 40 characters of each dev page the detector alone is right on 90% of pages, and with
the declaration taking over below ``MIN_CONFIDENCE`` on 98% (benchmarks/language_detection.py
writes both tables in docs/language-detection.md; 0.5 and 0.9, tried on the same texts, did
no better than 0.8).
"""

from __future__ import annotations

import io
import lzma
import re
import threading

from lxml import etree

from summarizer.errors import InputError

# Enough text for a sure answer on an article; more only costs time.
DETECT_CHARS = 1000
# Below this probability the page's declared language, when it has one, wins.
MIN_CONFIDENCE = 0.8
# Tags that name no language ("undetermined", "multiple", "no linguistic content").
NOT_A_LANGUAGE = frozenset({"und", "mul", "zxx", "mis"})
_DECLARATIONS = (
    etree.XPath("//meta[@property='og:locale']/@content"),
    etree.XPath(
        "//meta[translate(@http-equiv, 'CONTENTLAGU', 'contentlagu')='content-language']/@content"
    ),
)

# An ISO 639-1 code ("de"), optionally with a region or script ("pt-BR", "zh-Hant"): what HTML's
# lang attribute and HTTP's Content-Language carry.
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
_lock = threading.Lock()
_loaded = None
_known_codes: frozenset[str] | None = None  # the languages the detector can name


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


def detect_language(text: str, declared: str | None = None) -> str:
    """The ISO 639-1 code of the language ``text`` is written in: the detector's, unless it is
    unsure and the page ``declared`` one (module docstring)."""
    identifier = _identifier()
    code, probability = identifier.classify(text[:DETECT_CHARS])
    # A declaration the detector has no language for ("foo", "xx", a typo) is no hint: the
    # article's language would be reported as that string.
    if declared and probability < MIN_CONFIDENCE and declared in _known(identifier):
        return declared
    return code


def _known(identifier) -> frozenset[str]:  # py3langid has no type hints
    global _known_codes
    if _known_codes is None:
        _known_codes = frozenset(identifier.nb_classes)
    return _known_codes


def declared_language(root: etree._Element) -> str | None:
    """The language an HTML page declares for itself (its ``<html lang>``, else ``og:locale``,
    else a ``Content-Language`` meta), as an ISO 639-1 code; None without a usable one."""
    candidates = [root.get("lang"), root.get("xml:lang")]
    for tag in candidates:
        code = language_code(tag)
        if code and code not in NOT_A_LANGUAGE:
            return code
    for xpath in _DECLARATIONS:
        for tag in xpath(root)[:3]:
            code = language_code(tag)
            if code and code not in NOT_A_LANGUAGE:
                return code
    return None


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
            norm_probs=True,  # probabilities, so that MIN_CONFIDENCE means the same at any length
            tk_row=_to_array(data["nextmove_row"]),
        )

"""Stopwords of the article's language, left out of the extractive engine's scoring terms.

English keeps the project's own short list, chosen with the engine's weights on CNN/DailyMail
(it leaves "said" out, which news repeats in every sentence). Other languages take the
stopwords-iso lists (the ``stopwordsiso`` package: 58 languages by ISO 639-1 code, MIT, the
data inside the package, nothing downloaded), plus the English list, because English words
turn up in every language's news. Only entries that are one scoring term as
``summarizer.text.tokens`` makes them are kept: a Chinese or Japanese two-character word is a
character bigram and drops out, longer ones and punctuation never match a term.

jusText's stoplists (a trafilatura dependency, so already installed) were the other candidate:
they are each language's most frequent Wikipedia words, with content words among them
("government", "president", "film"), raw tokens with punctuation ("(born"), and no Chinese,
Japanese or Thai list.
"""

from __future__ import annotations

from functools import lru_cache

from summarizer.text.tokens import tokens

ENGLISH = frozenset(
    """a an and are as at be been but by for from had has have he her his i in is it its of on or
    our she that the their them they this to was we were which who will with would you your not
    no so if than then there these those into about after before over also said says""".split()
)


@lru_cache(maxsize=128)  # a caller may name any code; only listed ones cost memory
def stopwords(language: str | None) -> frozenset[str]:
    """The scoring stopwords for ``language`` (an ISO 639-1 code; English where unknown)."""
    if not language or language == "en":
        return ENGLISH
    import stopwordsiso  # reads its JSON (about 0.2 MB) on first use

    if not stopwordsiso.has_lang(language):
        return ENGLISH
    listed = {word.casefold() for word in stopwordsiso.stopwords(language)}
    return ENGLISH | frozenset(word for word in listed if tokens(word) == [word])

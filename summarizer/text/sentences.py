"""Sentence splitting in every language: Bling Fire, plus a repair pass for dotted ordinals,
abbreviations and quotation marks.

Bling Fire (Microsoft's rule-based tokenizer, compiled, no downloads) splits each paragraph; it
knows the full stops of Chinese and Japanese. ``benchmarks/sentence_splitters.py`` compared it
with pysbd, sentencex and syntok, each with and without the repair pass, on hand-written cases
and the dev pages (docs/sentence-splitting.md): with the repair pass it passes as many cases as
the best, never splits before a lowercase word, and misses the fewest sentence ends outside
quotations, which this module keeps whole on purpose (sentencex keeps a quotation of several
sentences whole too, pysbd is superlinear: seconds for a 10,000-word paragraph). Then, given
the article's language, a break is undone where no sentence can end:

- after a dotted ordinal in the languages that write them ("Am 12. Bis 13. September",
  "die 3. Auflage"): a number of one to three digits with a stop, when the next word is a month
  or a number, or the word before is lowercase, or the piece is too short to be a sentence;
- after an initial ("J. K. Rowling", "M. Dupont"), a one-letter abbreviation after a word in
  the languages that use them (the Russian one for "city" before a city's name), or a title or
  other abbreviation that never ends a sentence ("Dr.", "z. B.", "ул."), for the article's
  language and English;
- before a lowercase word, after a full stop: in scripts with capitals no sentence starts so;

and a closing quotation mark or bracket that starts a piece ("» Puis") goes back to the
sentence it closes. Last, the sentences of one quotation are glued back into one
(``summarizer.text.quotes``): a summary takes a quotation whole or not at all.

Bling Fire does not know the full stops of Devanagari and Bengali (the danda), Urdu, Ethiopic,
Armenian, Myanmar, Khmer or Tibetan (the shad), Greek's question mark (";", what NFC makes of
U+037E) or Armenian written with an ASCII colon for its full stop; a paragraph is cut after them
first (``_OTHER_STOPS``). Georgian has no capitals in running text (Unicode calls its letters
lowercase), so the "never before a lowercase word" rule skips it.

Thai and Lao have no full stop: a writer puts a space between sentences, and also between
clauses, but none between words. So a space between two letters of those scripts is a break
(``_SCRIPT_SPACE``: not after the repetition mark, not before a digit or a Latin word); then a
piece is glued back to its neighbours when it is too short to be a sentence
(``MIN_SPACED_SCRIPT_CHARS``), ends with "that" (a verb of saying before what was said), or
starts or ends with a conjunction (a prefix test: a word that merely begins like one, "เพื่อน"
after "เพื่อ", glues a sentence too many, never splits one). Bling Fire's breaks after a stop
between Thai letters are undone: Thai uses the stop only in abbreviations ("ม.ค."). pythainlp's
CRF splitter (``crfcut``) was compared with this rule on hand-written paragraphs
(``benchmarks/thai_sentences.py``, docs/sentence-splitting-thai.md): it needs a 70 MB install
and is far slower, so the rule ships and pythainlp is not a dependency. Khmer and Myanmar have
their own full stops (។ ៕, ။) and use spaces between phrases, so they are split only at those.

A paragraph break always ends a sentence, so a headline or caption without final punctuation
never merges into the next sentence.
"""

from __future__ import annotations

import re
from functools import cache

import blingfire

from summarizer.text import furniture
from summarizer.text.quotes import join_quotations

DEFAULT_LANGUAGE = "en"

# Languages that write ordinal numbers with a full stop ("12. September", "3. Auflage").
_DOTTED_ORDINALS = frozenset(
    "de da nb nn no fi cs sk sl hr sr bs pl hu et lv lt is fo tr eu mk".split()
)
_MONTHS = frozenset(
    """januar jänner februar feber märz april mai juni juli august september oktober november
    dezember jan feb mär mrz apr jun jul aug sep sept okt nov dez
    januari februari mars maj augusti oktober
    tammikuuta helmikuuta maaliskuuta huhtikuuta toukokuuta kesäkuuta heinäkuuta elokuuta
    syyskuuta lokakuuta marraskuuta joulukuuta
    ledna února března dubna května června července srpna září října listopadu prosince
    stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada
    grudnia
    január február március április május június július augusztus szeptember október
    decemberocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık""".split()
)
# Abbreviations that (practically) never end a sentence, by language, lowercased, without the
# final stop. English applies everywhere: its titles turn up in every language's news.
_ABBREVIATIONS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "mr mrs ms dr prof st sen rep gov gen col lt sgt capt rev vs fig approx",
        "de": "hr hrn fr dr prof dipl ing st z d u o s v z.b d.h u.a o.ä s.o s.u u.u v.a z.t ca "
        "bzw vgl nr abs art bd bsp evtl ggf inkl sog tel zb zzt",
        "fr": "m mm mme mmes mlle mlles me mgr pr dr st ste env cf p.ex n°",
        "es": "sr sra sres srta dr dra dña ud uds av avda pág núm",
        "it": "sig sigg dott dott.ssa prof avv ing on geom arch sen pag",
        "pt": "sr sra srs dr dra prof av pág n.º nº",
        "nl": "dhr mevr drs ir prof mr dr blz bijv o.a",
        "ru": "ул пр просп д им т т.е т.к т.н рис проф акад",
        "uk": "вул пр просп д ім т т.з проф",
        "pl": "ul al pl dr prof mgr inż np tzn tj ok godz",
    }.items()
}
# Tried only where a word starts, and the word taken whole: from inside a long word followed
# by more text it read to the word's end again at every position (quadratic).
_LAST_WORD = re.compile(r"(?<!\S)(\S++)\s*+$")
_ORDINAL_END = re.compile(r"(?:^|\s)(\d{1,3})\.$")
_FIRST_WORD = re.compile(r"^\W*(\w+)")
# Languages that abbreviate common words to one lowercase letter with a stop (Russian "city",
# "house", "village"); elsewhere "without an i." ends a sentence.
_ONE_LETTER_ABBREVIATIONS = frozenset("ru uk be bg sr mk kk ky tg".split())
_OTHER_STOPS = re.compile(
    r"(?<=[।॥۔።։။។៕།༎])\s+(?![།༎])"  # full stops of other scripts; Tibetan "། །" stays whole
    # Greek's question mark (";") after a Greek letter, before a capital
    r"|(?<=[\u0370-\u03ff\u1f00-\u1fff][;\u037e])\s+(?=[«\"“]?[\u0386-\u038f\u0391-\u03a9])"
    r"|(?<=[\u0531-\u0587]:)\s+(?=[«\"“]?[\u0531-\u0556])"  # Armenian written with ":"
)
# Georgian letters are lowercase to Unicode, but Georgian text has no capitals to start with.
_CASELESS = re.compile("[\u10d0-\u10ff\u2d00-\u2d2f]")
# Thai and Lao: a letter (consonant, vowel, tone mark, Thai's abbreviation mark ฯ) but not the
# repetition marks (ๆ ໆ: "เด็กๆ ทุกคน" is one clause) before a space, and a consonant or leading
# vowel after it.
_SPACED_SCRIPTS = re.compile("[\u0e01-\u0e5b\u0e81-\u0edf]")
_SCRIPT_SPACE = re.compile(
    "(?<=[\u0e01-\u0e45\u0e47-\u0e4e\u0e81-\u0eae\u0eb0-\u0ec5\u0ec8-\u0ecd])"
    "\\s+(?=[\u0e01-\u0e2e\u0e40-\u0e44\u0e81-\u0eae\u0ec0-\u0ec4])"
)
# Sentence ends that no sentence mark shows: a Thai or Lao sentence ends with a letter, a Greek
# question with ";", Armenian typed on a Latin keyboard with ":" (where ``_OTHER_STOPS`` splits).
_UNMARKED_END = re.compile(
    "(?:[\u0e01-\u0e4e\u0e81-\u0ecd]|[\u0370-\u03ff\u1f00-\u1fff][;\u037e]|[\u0531-\u0587]:)$"
)
_THAI_STOP_END = re.compile("[\u0e01-\u0e4e]\\.$")
_THAI_START = re.compile("^[\u0e01-\u0e4e]")
# Fewer Thai or Lao characters than this is a clause (a time, a subject), not a sentence.
MIN_SPACED_SCRIPT_CHARS = 30
# "that" after a verb of saying: what follows the space is what was said.
_SAYS_THAT = ("ว่า", "ວ່າ")
# Conjunctions that start a clause, not a sentence: "and", "or", "which", "by", "because",
# "so", "but", "in order to", in Thai then Lao.
_CONJUNCTIONS = tuple(
    "และ หรือ ซึ่ง โดย เพราะ จึง แต่ เพื่อ ".split() + "ແລະ ຫຼື ຊຶ່ງ ເຊິ່ງ ໂດຍ ເພາະ ຈຶ່ງ ແຕ່ ເພື່ອ".split()
)
_CLOSERS = re.compile(r"^([»”’\"')\]」』）]+)\s+(?=\S)")


def split_sentences(text: str, language: str | None = None) -> list[str]:
    """Sentences of ``text`` in reading order, split by the rules of ``language`` (an ISO 639-1
    code; English rules where it is unknown)."""
    lang = (language or DEFAULT_LANGUAGE).lower()
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        if not paragraph.strip():
            continue
        pieces = [
            s.strip()
            for chunk in _OTHER_STOPS.split(paragraph)
            if chunk
            for s in blingfire.text_to_sentences(chunk).split("\n")
        ]
        pieces = repair(pieces, lang)
        if _SPACED_SCRIPTS.search(paragraph):
            pieces = [part for piece in pieces for part in split_at_script_spaces(piece)]
        pieces = join_quotations(pieces)  # never a cut inside a quotation (quotes.py)
        sentences.extend(part for piece in pieces for part in _bounded(piece))
    return sentences


# Twice the longest sentence of the dev pages' true bodies and of CNN/DM (584 and 1,040
# characters). A longer "sentence" is a run of text with no stop (hostile, or a list glued into
# one line): it is cut at the last space before the bound (anywhere, in unspaced scripts), so no
# summary sentence can be longer. The pieces but the last end with no mark, so they are only
# candidates where nothing else is.
MAX_SENTENCE_CHARS = 2_000


def _bounded(sentence: str) -> list[str]:
    parts = []
    while len(sentence) > MAX_SENTENCE_CHARS:
        cut = sentence.rfind(" ", MAX_SENTENCE_CHARS // 2, MAX_SENTENCE_CHARS)
        cut = cut if cut > 0 else MAX_SENTENCE_CHARS
        parts.append(sentence[:cut].rstrip())
        sentence = sentence[cut:].lstrip()
    if sentence:
        parts.append(sentence)
    return parts


def is_prose(text: str) -> bool:
    """Whether a sentence or a line reads as prose: it ends as a sentence does
    (:func:`ends_sentence`), or it is longer than any label (``furniture.MAX_LABEL_WORDS``)."""
    return ends_sentence(text) or furniture.size_in_words(text) > furniture.MAX_LABEL_WORDS


def ends_sentence(sentence: str) -> bool:
    """Whether a sentence from ``split_sentences`` is whole: it ends with a sentence mark of any
    script (``furniture.ends_sentence``), or it is Thai or Lao, whose sentences end with no mark,
    or a Greek or Armenian sentence ending as ``_OTHER_STOPS`` knows. For a line of a page, whose
    kind is not known yet, ``furniture.ends_sentence`` is the test."""
    if furniture.ends_sentence(sentence):
        return True
    return bool(_UNMARKED_END.search(sentence.rstrip().rstrip(furniture.CLOSERS)[-2:]))


def split_at_script_spaces(text: str) -> list[str]:
    """``text`` split at the spaces Thai and Lao put between sentences, with the clauses that
    cannot stand alone glued back (module docstring). Linear in ``text``: a sentence is built as
    a list of its pieces with a running count of its letters (a text of thousands of glued
    clauses, each starting with a conjunction, must not be re-read for each one)."""
    pieces = _SCRIPT_SPACE.split(text)
    if len(pieces) == 1:
        return pieces
    groups: list[list[str]] = []  # each sentence's pieces
    letters: list[int] = []  # each sentence's Thai or Lao characters
    for piece in pieces:
        count = _script_chars(piece)
        if groups:
            last = groups[-1][-1]
            if (
                letters[-1] < MIN_SPACED_SCRIPT_CHARS  # a clause so far
                or last.endswith(_SAYS_THAT)
                or last.endswith(_CONJUNCTIONS)  # "... และ ..." written with spaces round it
                or piece.startswith(_CONJUNCTIONS)
            ):
                groups[-1].append(piece)
                letters[-1] += count
                continue
        groups.append([piece])
        letters.append(count)
    if len(groups) > 1 and letters[-1] < MIN_SPACED_SCRIPT_CHARS:
        groups[-2].extend(groups.pop())
    return [" ".join(group) for group in groups]


def _script_chars(piece: str) -> int:
    return len(_SPACED_SCRIPTS.findall(piece))


def repair(pieces: list[str], language: str) -> list[str]:
    """``pieces`` with the breaks after ordinals and abbreviations undone (module docstring).

    Linear in the text: a sentence being glued back is kept as its parts, and ``_can_end``
    sees only its last ``_END_WORDS`` words (all it reads: the last two and whether there are
    more than three), so a run of thousands of "3." pieces is not re-read for each one."""
    merged: list[list[str]] = []  # each sentence's parts
    ends: list[list[str]] = []  # each sentence's last words
    for piece in pieces:
        if not piece:
            continue
        closer = _CLOSERS.match(piece)
        if merged and closer:
            merged[-1].append(closer.group(1))
            ends[-1] = (ends[-1] + closer.group(1).split())[-_END_WORDS:]
            piece = piece[closer.end() :]
        if merged and not _can_end(" ".join(ends[-1]), piece, language):
            merged[-1].append(piece)
            ends[-1] = (ends[-1] + piece.split())[-_END_WORDS:]
        else:
            merged.append([piece])
            ends.append(piece.split()[-_END_WORDS:])
    return [" ".join(parts) for parts in merged]


# The words at the end of a sentence that _can_end reads: its last two, and whether it has
# more than three.
_END_WORDS = 4


def _can_end(left: str, right: str, language: str) -> bool:
    """Whether a sentence may end at the end of ``left`` when ``right`` follows it."""
    if not left.endswith("."):
        return True
    if _THAI_STOP_END.search(left) and _THAI_START.match(right):
        return False  # Thai writes a stop only in abbreviations
    first = _FIRST_WORD.match(right)
    next_word = first.group(1) if first else ""
    if next_word.isalpha() and next_word.islower() and not _CASELESS.match(next_word):
        return False
    if language in _DOTTED_ORDINALS and _ORDINAL_END.search(left):
        words = left.split()
        before = words[-2] if len(words) > 1 else ""
        if (
            next_word.casefold() in _MONTHS
            or next_word.isdigit()
            or before[:1].islower()
            or len(words) <= 3
        ):
            return False
    last = _LAST_WORD.search(left)
    token = last.group(1).lstrip("(\"'«„“‘[") if last else ""
    stem = token[:-1]
    words = left.split()
    if len(stem) == 1 and stem.isalpha():
        if stem.isupper():
            return False  # an initial
        if (
            language in _ONE_LETTER_ABBREVIATIONS
            and len(words) > 1
            and not any(ch.isdigit() for ch in words[-2])
        ):
            return False  # "in c. Moscow"; after a year ("1990 y.") it may end a sentence
    key = stem.casefold()
    abbreviations = _abbreviations(language)
    if key in abbreviations:
        return False
    # "z. B." arrives as "... z." + "B. ...", or whole as "z.B."; look at the last two tokens.
    return not (len(words) > 1 and f"{words[-2]}{stem}".casefold() in abbreviations)


@cache
def _abbreviations(language: str) -> frozenset[str]:
    return _ABBREVIATIONS.get(language, frozenset()) | _ABBREVIATIONS["en"]

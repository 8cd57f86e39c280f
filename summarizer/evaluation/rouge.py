"""ROUGE as the reference implementation computes it, with the two details people get wrong.

Scores come from Google's ``rouge-score`` package (the implementation behind the published
numbers) with Porter stemming. ROUGE-Lsum treats each *line* as a sentence, so summaries and
references are laid out one sentence per line first: scoring Lsum on one long line silently turns
it into ROUGE-L. A prediction's lines are split into sentences too; a multi-line reference keeps
its lines (one highlight per line). Several references are scored separately and the best one
counts (``score_multi``).
"""

from __future__ import annotations

from collections.abc import Sequence

from rouge_score import rouge_scorer

from summarizer.text import split_sentences

ROUGE_TYPES: tuple[str, ...] = ("rouge1", "rouge2", "rougeL", "rougeLsum")


def sentence_lines(text: str | Sequence[str], *, split_lines: bool = True) -> str:
    """One sentence per line: a list is joined as it is; a text is split into sentences, each
    line on its own (bullet markers dropped), so a paragraph of several sentences is not scored
    as one. ``split_lines=False`` keeps the lines of a multi-line text as they are (references:
    one highlight per line)."""
    if not isinstance(text, str):
        return "\n".join(s.strip() for s in text if s.strip())
    lines = [line.strip().removeprefix("- ").strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > 1 and not split_lines:
        return "\n".join(lines)
    return "\n".join(s for line in lines for s in split_sentences(line))


class Rouge:
    """F1, precision and recall (0-1) of ROUGE-1/2/L/Lsum against one or more references.

    >>> Rouge().score(["First sentence.", "Second one."], ["Highlight one.\\nHighlight two."])
    """

    def __init__(self, types: Sequence[str] = ROUGE_TYPES, *, use_stemmer: bool = True) -> None:
        self.types = tuple(types)
        self._scorer = rouge_scorer.RougeScorer(list(self.types), use_stemmer=use_stemmer)

    def score(
        self,
        prediction: str | Sequence[str],
        references: str | Sequence[str],
        *,
        split: bool = True,
    ) -> dict[str, rouge_scorer.scoring.Score]:
        """Scores of ``prediction`` (a text or its sentences) against the best reference.

        ``split=False`` passes texts through untouched (for checking against test vectors).
        """
        refs = [references] if isinstance(references, str) else list(references)
        if split:
            prediction = sentence_lines(prediction)
            refs = [sentence_lines(r, split_lines=False) for r in refs]
        elif not isinstance(prediction, str):
            prediction = "\n".join(prediction)
        if len(refs) == 1:
            return self._scorer.score(refs[0], prediction)
        return self._scorer.score_multi(refs, prediction)

    def f1(
        self, prediction: str | Sequence[str], references: str | Sequence[str]
    ) -> dict[str, float]:
        """F1 x 100 per ROUGE type, the number papers report."""
        return {k: 100 * v.fmeasure for k, v in self.score(prediction, references).items()}

"""The map-reduce driver shared by the PyTorch and CTranslate2 engines, on a model-free engine."""

from collections.abc import Sequence

from summarizer.engines.abstractive import AbstractiveEngine, Batch
from summarizer.options import SummaryOptions
from summarizer.text import prepare


class FirstSentenceEngine(AbstractiveEngine):
    """Counts words as tokens, 'summarizes' a text as its first sentence, records what the driver
    hands over."""

    name = "first-sentence"

    def __init__(self, batch_size: int) -> None:
        super().__init__("first-sentence", max_input_tokens=64, max_output_tokens=40)
        self.batch_size = batch_size
        self.handovers: list[list[Batch]] = []

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(t.split()) for t in texts]

    def generate(
        self, texts: Sequence[str], *, min_new_tokens: int, max_new_tokens: int
    ) -> list[str]:
        return [t.split(". ")[0].rstrip(".") + "." for t in texts]

    def generate_batches(self, batches: Sequence[Batch]) -> list[list[str]]:
        self.handovers.append(list(batches))
        return super().generate_batches(batches)


def article(i: int, sentences: int) -> str:
    filler = " ".join(f"Sentence {j} of story {i} adds detail." for j in range(sentences))
    return f"Story {i} opens with its own lead. {filler}"


def test_a_stage_is_handed_over_at_once_longest_first_and_results_keep_input_order():
    """All batches of a stage go to the engine together, longest first (an engine with parallel
    replicas then ends on short batches), and each summary comes back to its own article."""
    engine = FirstSentenceEngine(batch_size=3)
    sizes = [1, 5, 2, 6, 3, 0, 4]  # all fit one 64-token window
    docs = [prepare(article(i, n)) for i, n in enumerate(sizes)]
    summaries = engine.summarize_batch(docs, SummaryOptions(length="short"))

    assert [s.text for s in summaries] == [f"Story {i} opens with its own lead." for i in range(7)]
    [handover] = engine.handovers
    assert [len(b.texts) for b in handover] == [3, 3, 1]
    lengths = [len(t.split()) for b in handover for t in b.texts]
    assert lengths == sorted(lengths, reverse=True)


def test_map_windows_and_whole_articles_are_never_batched_together():
    """Windows of a long article get the map budget, whole articles the final one: a batch holds
    one kind, and every round of map-reduce is one hand-over."""
    engine = FirstSentenceEngine(batch_size=4)
    long_doc = prepare(article(0, 40))  # about 280 words: several windows, then a reduce round
    short_docs = [prepare(article(i, 1)) for i in (1, 2)]
    summaries = engine.summarize_batch([long_doc, *short_docs], SummaryOptions(length="short"))

    assert summaries[0].coverage.chunks > 1
    leads = [f"Story {i} opens with its own lead." for i in (1, 2)]
    assert [s.text for s in summaries[1:]] == leads
    first = engine.handovers[0]
    budgets = {(b.min_new_tokens, b.max_new_tokens) for b in first}
    assert len(budgets) == 2  # map windows and whole articles, in separate batches
    finals = [b for b in first if any(t.startswith("Story 1 ") for t in b.texts)]
    assert [len(b.texts) for b in finals] == [2]
    assert len(engine.handovers) == summaries[0].coverage.reduce_rounds + 1

"""Summary quality evaluation: datasets, ROUGE, baselines, statistics and reports.

>>> from summarizer.evaluation import evaluate, load_dataset
>>> result = evaluate(["extractive", "lead-3"], load_dataset("samples/cnndm_sample.jsonl"))
>>> result.summary()[["rouge1", "rouge1_low", "rouge1_high"]]
>>> web = evaluate_web(["extractive", "lead-3"], "../shared/eval/web/dev.jsonl.gz")
>>> web.summary()           # in_body, starts_with_title, dup, ... per length and language group
"""

from summarizer.evaluation.baselines import LeadEngine, lead_k
from summarizer.evaluation.datasets import Example, half_of, load_dataset, split_half
from summarizer.evaluation.rouge import ROUGE_TYPES, Rouge, sentence_lines
from summarizer.evaluation.runner import EvaluationResult, evaluate, load_system
from summarizer.evaluation.stats import bootstrap_ci, paired_bootstrap
from summarizer.evaluation.web.pages import WebPage, load_pages
from summarizer.evaluation.web.runner import WebEvaluation, evaluate_web

__all__ = [
    "ROUGE_TYPES",
    "EvaluationResult",
    "Example",
    "LeadEngine",
    "Rouge",
    "WebEvaluation",
    "WebPage",
    "bootstrap_ci",
    "evaluate",
    "evaluate_web",
    "half_of",
    "lead_k",
    "load_dataset",
    "load_pages",
    "load_system",
    "paired_bootstrap",
    "sentence_lines",
    "split_half",
]

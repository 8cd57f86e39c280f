"""The CTranslate2 engine against the PyTorch engine on tiny checkpoints, and its conversion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.options import SummaryOptions
from summarizer.text import prepare

pytest.importorskip("ctranslate2")

from summarizer.convert import convert
from summarizer.engines.allocator import is_glibc
from summarizer.engines.ctranslate2 import CTranslate2Engine
from summarizer.engines.seq2seq import Seq2SeqEngine
from summarizer.errors import ModelLoadError, OptionsError
from tests.subprocesses import run_python

GREEDY = {"num_beams": 1}
NEWS_BEAM = {"num_beams": 4, "no_repeat_ngram_size": 3, "length_penalty": 2.0}


@pytest.fixture(scope="module")
def padded_bart(tiny_bart, tmp_path_factory) -> Path:
    """tiny_bart as the real BART-CNN checkpoints are: an embedding matrix larger than the
    tokenizer (the converter's padding snag) and ``<s>`` forced as the first generated token."""
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    folder = tmp_path_factory.mktemp("ckpt") / "padded-bart"
    model = AutoModelForSeq2SeqLM.from_pretrained(tiny_bart)
    tokenizer = AutoTokenizer.from_pretrained(tiny_bart)
    model.resize_token_embeddings(len(tokenizer) + 24, mean_resizing=False)
    model.generation_config.forced_bos_token_id = tokenizer.bos_token_id
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def converted(tiny_bart, tiny_t5, padded_bart, tmp_path_factory):
    """float32 and int8 conversions of each checkpoint, made once."""
    out = tmp_path_factory.mktemp("ct2")
    sources = {"bart": tiny_bart, "t5": tiny_t5, "padded-bart": padded_bart}
    return {
        (name, quant): convert(str(src), out / f"{name}-{quant}", quant)
        for name, src in sources.items()
        for quant in ("float32", "int8")
    }


@pytest.fixture(scope="module")
def sources(tiny_bart, tiny_t5, padded_bart):
    return {"bart": tiny_bart, "t5": tiny_t5, "padded-bart": padded_bart}


def windows(articles, words=40):
    return [" ".join(a.split()[:words]) for a in articles[:6]]


@pytest.mark.parametrize(
    ("name", "generation"),
    [("bart", GREEDY), ("t5", GREEDY), ("padded-bart", GREEDY)],
)
def test_float32_gives_the_same_text_as_pytorch(name, generation, sources, converted, articles):
    pt = Seq2SeqEngine(sources[name], device="cpu", generation=generation)
    ct = CTranslate2Engine(converted[name, "float32"], device="cpu", generation=generation)
    texts = windows(articles)
    outputs = []
    for low, high in [(5, 24), (24, 24), (0, 40)]:
        expected = pt.generate(texts, min_new_tokens=low, max_new_tokens=high)
        got = ct.generate(texts, min_new_tokens=low, max_new_tokens=high)
        assert got == expected, (low, high)
        outputs += got
    tokens = [len(pt.tokenizer.tokenize(t)) for t in outputs]
    assert sum(n > 5 for n in tokens) > len(tokens) // 2, tokens  # not vacuously equal


def test_float32_tokens_equal_pytorch_tokens_with_forced_bos(sources, converted, articles):
    """Token for token, the forced ``<s>`` included: the length limits line up exactly."""
    import torch

    pt = Seq2SeqEngine(sources["padded-bart"], device="cpu", generation=GREEDY)
    ct = CTranslate2Engine(converted["padded-bart", "float32"], device="cpu", generation=GREEDY)
    texts = windows(articles, 30)
    batch = pt.tokenizer(texts, return_tensors="pt", padding=True)
    config = pt.generation_config
    config.min_new_tokens, config.max_new_tokens = 10, 20
    with torch.inference_mode():
        ids = pt.model.generate(**batch, generation_config=config)
    source = [pt.tokenizer.convert_ids_to_tokens(x) for x in pt.tokenizer(texts)["input_ids"]]
    results = ct.translator.translate_batch(
        source, [ct.target_prefix] * len(texts), **ct.decoding_options(10, 20)
    )
    for row, result in zip(ids.tolist(), results, strict=True):
        expected = [t for t in row[1:] if t not in (pt.tokenizer.pad_token_id,)]
        expected = [t for t in expected if t != pt.tokenizer.eos_token_id]
        got = [ct.tokenizer.token_to_id(t) for t in result.hypotheses[0]]
        assert got == expected
        assert got[0] == pt.tokenizer.bos_token_id


def test_int8_agrees_with_pytorch(sources, converted, articles):
    """Quantized weights may change a token here and there, not the output as a whole."""
    pt = Seq2SeqEngine(sources["bart"], device="cpu", generation=GREEDY)
    ct = CTranslate2Engine(converted["bart", "int8"], device="cpu", generation=GREEDY)
    assert ct.describe()["quantization"] == "int8"
    texts = windows(articles)
    expected = pt.generate(texts, min_new_tokens=20, max_new_tokens=20)
    got = ct.generate(texts, min_new_tokens=20, max_new_tokens=20)
    assert overlap(pt.tokenizer, expected, got) >= 0.6


def test_beam_search_with_news_settings_agrees(sources, converted, articles):
    """Beam 4, no_repeat_ngram_size 3, length penalty 2. A random model's near-flat scores make
    ties between beams common, and the runtimes break them differently (about 2/3 of tokens
    agree here), so this checks agreement, not identity."""
    pt = Seq2SeqEngine(sources["padded-bart"], device="cpu", generation=NEWS_BEAM)
    ct = CTranslate2Engine(converted["padded-bart", "float32"], device="cpu", generation=NEWS_BEAM)
    assert ct.decoding_options(5, 24)["beam_size"] == 4
    texts = windows(articles)
    expected = pt.generate(texts, min_new_tokens=24, max_new_tokens=24)
    got = ct.generate(texts, min_new_tokens=24, max_new_tokens=24)
    assert overlap(pt.tokenizer, expected, got) >= 0.5


def overlap(tokenizer, expected, got):
    """Mean share of positions where two lists of texts have the same token."""
    shares = []
    for a, b in zip(expected, got, strict=True):
        ta, tb = tokenizer.tokenize(a), tokenizer.tokenize(b)
        same = sum(x == y for x, y in zip(ta, tb, strict=False))
        shares.append(same / max(len(ta), len(tb), 1))
    return sum(shares) / len(shares)


def test_long_article_map_reduce_is_the_same_plan(sources, converted, articles):
    pt = Seq2SeqEngine(sources["bart"], device="cpu", generation=GREEDY)
    ct = CTranslate2Engine(converted["bart", "float32"], device="cpu", generation=GREEDY)
    doc = prepare("\n\n".join(articles[:3]))
    assert pt.windows(doc.sentences) == ct.windows(doc.sentences)
    options = SummaryOptions(length="short")
    [a] = pt.summarize_batch([doc], options)
    [b] = ct.summarize_batch([doc], options)
    assert b.coverage.chunks == a.coverage.chunks > 3
    assert b.coverage.reduce_rounds == a.coverage.reduce_rounds >= 1
    assert b.coverage.input_tokens == a.coverage.input_tokens
    assert b.text == a.text and b.engine == "ctranslate2"


def test_settings_come_from_the_checkpoint(converted):
    t5 = json.loads((converted["t5", "int8"] / "summarizer.json").read_text())
    assert t5["prefix"] == "summarize: " and t5["generation"]["num_beams"] == 2
    assert t5["target_prefix"] == [] and not t5["forced_eos"]
    bart = json.loads((converted["padded-bart", "int8"] / "summarizer.json").read_text())
    assert bart["target_prefix"] == ["<s>"] and bart["forced_eos"]
    assert bart["vocab_size"] == bart["tokenizer_size"] + 24
    engine = CTranslate2Engine(converted["t5", "int8"], device="cpu")
    assert engine.describe()["num_beams"] == 2
    assert engine.decoding_options(5, 30)["beam_size"] == 2


def test_conversion_refuses_bad_requests(tiny_bart, converted, tmp_path):
    with pytest.raises(ModelLoadError, match="quantization"):
        convert(str(tiny_bart), tmp_path / "x", "int4")
    with pytest.raises(ModelLoadError, match="already a CTranslate2"):
        convert(str(converted["bart", "int8"]), tmp_path / "y")
    with pytest.raises(ModelLoadError, match="not empty"):
        convert(str(tiny_bart), converted["bart", "int8"])


def run(*args, models_dir):
    env = {"SUMMARIZER_MODELS_DIR": str(models_dir)}
    result = run_python("-m", "summarizer", *args, env=env, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    return result


@pytest.mark.slow
def test_cli_converts_offline_and_model_works_by_name_path_and_auto(tiny_bart, tmp_path, articles):
    from summarizer import Summarizer

    models = tmp_path / "models"
    models.mkdir()
    article = tmp_path / "article.txt"
    article.write_text(" ".join(articles[0].split()[:150]), encoding="utf-8")
    run("models", "convert", str(tiny_bart), "--quantization", "float32", models_dir=models)
    folder = models / "tiny-bart-ct2-float32"
    assert (folder / "model.bin").is_file() and (folder / "summarizer.json").is_file()

    result = run("summarize", str(article), "--model", folder.name, "--json", models_dir=models)
    data = json.loads(result.stdout)
    reference = Summarizer.load(str(tiny_bart), device="cpu").summarize(article.read_text())
    assert data["engine"] == "ctranslate2" and data["model"] == folder.name
    assert data["summary"] == reference.text
    assert data["coverage"]["chunks"] == reference.coverage.chunks > 1
    for model in (str(folder), "auto"):
        summarizer = Summarizer.load(model, device="cpu", models_dir=models)
        assert (summarizer.engine_name, summarizer.model_name) == ("ctranslate2", folder.name)


@pytest.mark.slow
@pytest.mark.parametrize("batch_size", [2, 8])
def test_replicas_give_the_same_summaries(converted, articles, batch_size, caplog):
    """Two replicas (one thread each, shared weights) give the same summaries, in the same order,
    as one replica with both threads: when they run queued batches side by side (batch 2) and
    when they split a lone batch (batch 8). The tiny model says much the same for every input, so
    the order is checked by the next test."""
    from summarizer import Summarizer

    folder = str(converted["bart", "float32"])
    texts = [" ".join(a.split()[:120]) for a in articles[:6]]
    one = Summarizer.load(folder, device="cpu", threads=2, batch_size=batch_size)
    two = Summarizer.load(folder, device="cpu", threads=2, batch_size=batch_size, replicas=2)
    assert two.engine.translator.num_translators == 2 and two.describe()["replicas"] == 2
    assert one.engine.translator.num_translators == 1
    expected = [s.text for s in one.summarize_batch(texts)]
    assert [s.text for s in two.summarize_batch(texts)] == expected

    with pytest.raises(OptionsError, match="replicas"):
        Summarizer.load(folder, device="cpu", replicas=0)
    Summarizer.load("extractive", replicas=2)
    assert "replicas apply to CTranslate2 models" in caplog.text


class _Echo:
    """A translation result whose best hypothesis is the source itself."""

    def __init__(self, tokens: list[str], events: list[str]) -> None:
        self.tokens, self.events = tokens, events
        self.hypotheses = [tokens]

    def result(self) -> _Echo:
        self.events.append("read")
        return self


class EchoTranslator:
    """Stands in for ctranslate2.Translator: echoes each source and records the calls."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def translate_batch(self, source, target_prefix=None, *, asynchronous=False, **options):
        self.events.append(f"{'queued' if asynchronous else 'ran'} {len(source)}")
        return [_Echo(tokens, self.events) for tokens in source]


def test_replicas_queue_every_batch_before_reading_and_keep_the_order(converted):
    """With two replicas all batches of a stage are queued before any result is read (no replica
    waits for the other at each batch), and every result goes back to its own article."""
    from summarizer import Summarizer

    folder = str(converted["bart", "float32"])
    summarizer = Summarizer.load(folder, device="cpu", batch_size=2, replicas=2)
    summarizer.engine.translator = translator = EchoTranslator()
    texts = [f"Story {i} is about {' and '.join(['rain'] * i) or 'sun'}." for i in range(5)]

    assert [s.text for s in summarizer.summarize_batch(texts)] == texts
    assert translator.events == ["queued 2", "queued 2", "queued 1"] + ["read"] * 5


def test_converted_model_serves_without_importing_torch(converted, articles):
    """A CTranslate2 process (service, batch worker) does not load torch or transformers, whose
    libraries would add to its resident memory for nothing."""
    script = (
        "import sys; from summarizer import Summarizer; "
        "s = Summarizer.load(sys.argv[1]); "
        "assert s.engine_name == 'ctranslate2'; s.summarize(sys.argv[2]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'transformers')))"
    )
    text = " ".join(articles[0].split()[:150])
    result = run_python("-c", script, converted["bart", "int8"], text, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "[]"


@pytest.mark.skipif(not is_glibc(), reason="glibc only")
def test_loading_a_converted_model_keeps_freed_memory(converted):
    """CTranslate2 allocates each layer's activations anew: the product's load sets malloc up
    (before the model's threads start) to serve them from memory already mapped."""
    from tests.summarizer.test_allocator import BLOCK, probe

    load = "__import__('summarizer').Summarizer.load(sys.argv[2]).engine_name == 'ctranslate2'"
    got = probe(load, str(converted["bart", "int8"]))
    assert got["applied"] is True
    assert got["mmapped"] == 0
    assert got["kept"] >= BLOCK // 2
    assert got["arenas"] == 1


@pytest.mark.slow
def test_benchmark_harness_runs_end_to_end(tmp_path):
    """``benchmarks/run.py --quick``: tiny sizes, every row in its own process, the report; the
    sections of models it did not measure are kept."""
    out = tmp_path / "benchmarks.md"
    kept = "## bart-large-cnn\n\nmeasured by an earlier run\n"
    out.write_text(f"# old\n\n<!-- section:bart-large-cnn -->\n{kept}<!-- /section -->\n")
    result = run_python(
        "benchmarks/run.py", "--quick", "--out", out, "--work", tmp_path, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = out.read_text()
    for system in ("baseline", "PyTorch engine", "CTranslate2 int8 engine", "Extractive engine"):
        assert system in report
    baselines = [
        line.split("|")[2].strip() for line in report.splitlines() if line.startswith("| baseline")
    ]
    assert baselines == ["-", "malloc keeps freed memory, as in the engines"]
    rows = [line for line in report.splitlines() if line.startswith("| CTranslate2")]
    cells = {row.split("|")[2].strip(): row.split("|")[3:-1] for row in rows}
    assert list(cells) == ["batch 1", "batch 2", "batch 2, 2 replicas x 1 thread"]
    assert all(cell.strip() not in ("", "-") for cell in cells["batch 2"])
    # Replicas running queued batches side by side make no single call to time.
    assert [c.strip() for c in cells["batch 2, 2 replicas x 1 thread"][:2]] == ["-", "-"]
    assert "ctranslate2 4." in report and "transformers 5." in report
    assert kept in report and "# old" not in report
    assert report.index("## tiny-bart") < report.index("## Extractive engine")


def test_the_compute_type_setting_reaches_the_engine(converted, monkeypatch):
    """SUMMARIZER_COMPUTE_TYPE → Settings.load_options() → CTranslate2Engine.from_spec: the
    example load setting of docs/architecture.md, end to end."""
    from api.settings import Settings
    from summarizer.core import Summarizer
    from summarizer.load_options import LoadOptions

    folder = str(converted["bart", "int8"])
    as_converted = Summarizer.load(folder, LoadOptions(device="cpu")).describe()["compute_type"]
    assert as_converted.startswith("int8")
    monkeypatch.setenv("SUMMARIZER_COMPUTE_TYPE", "float32")
    monkeypatch.setenv("SUMMARIZER_DEVICE", "cpu")
    options = Settings().load_options()
    assert Summarizer.load(folder, options).describe()["compute_type"] == "float32"
    with pytest.raises(OptionsError, match="compute type"):
        LoadOptions(compute_type="int3")

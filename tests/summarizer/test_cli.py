"""The ``summarizer`` command as a user runs it: a real subprocess, real files."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SAMPLES
from tests.subprocesses import run_python


def run(*args, stdin=None, env_extra=None):
    return run_python("-m", "summarizer", *args, input=stdin, env=env_extra, timeout=300)


def test_summarize_sample_offline_names_the_engine():
    result = run("summarize", str(SAMPLES / "article.txt"))
    assert result.returncode == 0, result.stderr.decode()
    assert len(result.stdout.decode().split()) > 10
    assert "engine: extractive" in result.stderr.decode()
    assert "model=auto" in result.stderr.decode()


def test_json_output_from_stdin():
    text = (SAMPLES / "article.txt").read_bytes()
    result = run("summarize", "-", "--json", "--length", "short", stdin=text)
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["engine"] == "extractive" and data["model"] == "extractive"
    assert len(data["sentences"]) == 1
    assert data["summary"] == data["sentences"][0]


def test_every_summary_flag_reaches_the_options():
    args = ["--length", "long", "--max-words", "150", "--min-words", "60", "--format", "bullets"]
    result = run("summarize", str(SAMPLES / "article.txt"), "--json", *args, "--language", "en-GB")
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["options"] == {
        "length": "long",
        "max_words": 150,
        "min_words": 60,
        "format": "bullets",
        "language": "en",
    }


@pytest.mark.slow
def test_seq2seq_path_with_a_checkpoint_folder(tiny_bart):
    result = run("summarize", str(SAMPLES / "article.txt"), "--model", str(tiny_bart), "--json")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["engine"] == "seq2seq"
    assert data["coverage"]["chunks"] > 1


@pytest.mark.slow
def test_user_errors_are_one_line_without_traceback(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa not utf8")
    cases = [
        ("summarize", str(bad)),
        ("summarize", str(tmp_path / "missing.txt")),
        ("summarize", str(SAMPLES / "article.txt"), "--min-words", "80", "--max-words", "20"),
        ("summarize", str(SAMPLES / "article.txt"), "--model", "nope"),
    ]
    for args in cases:
        result = run(*args)
        err = result.stderr.decode().strip().splitlines()
        assert result.returncode == 1, args
        assert err[-1].startswith("error: "), err
        assert "Traceback" not in result.stderr.decode()


def test_models_list_shows_manifests_and_the_builtin_engine():
    result = run(
        "models",
        "list",
        env_extra={"SUMMARIZER_MODELS_DIR": str(ROOT / "models"), "COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "distilbart-cnn-12-6" in out and "extractive" in out
    assert "summarizer models pull" in out


def test_models_pull_without_network_fails_cleanly():
    result = run(
        "models",
        "pull",
        "distilbart-cnn-12-6",
        env_extra={"SUMMARIZER_MODELS_DIR": str(ROOT / "models")},
    )
    assert result.returncode == 1
    assert result.stderr.decode().strip().splitlines()[-1].startswith("error: could not download")


def test_num_beams_reaches_the_engine_and_is_bounded():
    ok = run("summarize", str(SAMPLES / "article.txt"), "-m", "extractive", "--num-beams", "1")
    assert ok.returncode == 0, ok.stderr.decode()
    assert "extractive engine ignores generation settings {'num_beams': 1}" in ok.stderr.decode()
    bad = run("summarize", str(SAMPLES / "article.txt"), "--num-beams", "0")
    assert bad.returncode == 1 and "--num-beams" in bad.stderr.decode()


def _last_error(result) -> str:
    err = result.stderr.decode()
    assert "Traceback" not in err, err
    return err.strip().splitlines()[-1]


@pytest.mark.hostile("cli", "Endless standard input is read up to the limit, then refused.")
def test_endless_stdin_is_refused_after_the_limit_without_a_hang():
    from summarizer.cli.summarize import MAX_INPUT_BYTES

    forever = "import sys\nwhile True: sys.stdout.buffer.write(b'\\0' * 65536)"
    producer = subprocess.Popen([sys.executable, "-c", forever], stdout=subprocess.PIPE)
    try:
        result = run_python(
            "-m",
            "summarizer",
            "summarize",
            "-",
            "-m",
            "extractive",
            stdin=producer.stdout,
            timeout=60,
        )
    finally:
        producer.kill()
        producer.wait()
    assert result.returncode == 1
    assert _last_error(result) == (
        f"error: standard input is too long: over {MAX_INPUT_BYTES:,} bytes (the limit)"
    )
    with open("/dev/urandom", "rb") as endless:
        result = run_python(
            "-m", "summarizer", "summarize", "-", "-m", "extractive", stdin=endless, timeout=60
        )
    assert result.returncode == 1 and "too long" in _last_error(result)


@pytest.mark.slow
@pytest.mark.hostile("cli", "A folder, a named pipe or a device given to summarize is named so.")
def test_a_folder_or_a_fifo_is_reported_as_such(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    cases = {
        str(tmp_path): "is a folder, not a file",
        str(fifo): "is a named pipe, not a file",
        "/dev/zero": "is not a regular file",
        str(tmp_path / "missing.txt"): "no such file",
    }
    for source, message in cases.items():
        result = run("summarize", source, "-m", "extractive")
        assert result.returncode == 1, source
        assert message in _last_error(result), source


@pytest.mark.slow
@pytest.mark.hostile(
    "cli", "A .html file of only comments is a page with no article text, never summarized."
)
def test_an_html_file_of_only_comments_is_refused_not_summarized_as_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<!-- Draft. It has words. Several sentences of them. -->\n<!-- And another one. -->\n"
    )
    result = run("summarize", str(page), "-m", "extractive")
    assert result.returncode == 1, result.stdout
    assert "no article text" in _last_error(result)
    assert b"trafilatura" not in result.stderr  # its own warnings about the page are not shown
    # The same words in a .txt file are prose, and summarized.
    text = tmp_path / "note.txt"
    text.write_text("A note with words. It has several sentences. All of them are prose.\n")
    assert run("summarize", str(text), "-m", "extractive").returncode == 0


@pytest.mark.hostile("eval", "A dataset line with a lone surrogate is refused in one line.")
def test_eval_refuses_a_lone_surrogate_in_one_line(tmp_path, sample_rows):
    rows = [dict(r) for r in sample_rows[:3]]
    rows[1]["article"] = "bad \ud800 x. " + rows[1]["article"]
    data = tmp_path / "set.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = run("eval", str(data), "-m", "extractive", "--baseline", "lead-3", "--no-progress")
    assert result.returncode == 1
    assert _last_error(result) == f"error: {data}:2: not usable JSON text (a lone surrogate)"


@pytest.mark.slow
@pytest.mark.hostile("cli", "Impossible threads, devices and model names are one-line errors.")
def test_bad_threads_device_and_model_names_are_one_line_errors(tmp_path):
    article = str(SAMPLES / "article.txt")
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "Some words in a sentence."}\n')
    cases = {
        ("summarize", article, "--threads", "-1"): "--threads must be a whole number",
        ("summarize", article, "--threads", "100000"): "is more than this machine can use",
        ("summarize", article, "--device", "foo"): "--device must be auto, cpu, cuda",
        ("summarize", article, "--model", "x/../../y"): "not found locally",
        ("summarize", article, "--model", "models/foo"): "not found locally",
        ("summarize", article, "--model", "hub:x/../../y"): "is not a hub id",
        ("batch", str(source), "-o", str(tmp_path / "o.jsonl"), "--threads", "-1"): "--threads",
        ("batch", str(source), "-o", str(tmp_path / "o.jsonl"), "--device", "foo"): "--device",
    }
    for args, message in cases.items():
        result = run(*args)
        assert result.returncode == 1, args
        assert message in _last_error(result), (args, _last_error(result))
    assert not (tmp_path / "o.jsonl").exists()


@pytest.mark.slow
@pytest.mark.hostile("cli", "A corrupt model.safetensors is a one-line load error.")
def test_a_corrupt_safetensors_file_is_a_one_line_error(tmp_path, tiny_bart):
    import shutil

    broken = tmp_path / "broken-model"
    shutil.copytree(tiny_bart, broken)
    (broken / "model.safetensors").write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{garbage")
    result = run("summarize", str(SAMPLES / "article.txt"), "--model", str(broken))
    assert result.returncode == 1
    assert _last_error(result).startswith(f"error: could not load seq2seq checkpoint '{broken}'")

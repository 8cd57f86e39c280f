"""The ``summarizer`` command as a user runs it: a real subprocess, real files."""

import json
import os
import subprocess
import sys

from tests.conftest import ROOT, SAMPLES


def run(*args, stdin=None, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )


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


def test_seq2seq_path_with_a_checkpoint_folder(tiny_bart):
    result = run("summarize", str(SAMPLES / "article.txt"), "--model", str(tiny_bart), "--json")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["engine"] == "seq2seq"
    assert data["coverage"]["chunks"] > 1


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
    assert bad.returncode == 2 and "--num-beams" in bad.stderr.decode()

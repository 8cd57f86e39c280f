"""``summarizer batch`` as a nightly job runs it: a real subprocess, real files."""

import csv
import json

import pytest

from summarizer.batch.readers.records import MAX_RECORD_BYTES
from tests.conftest import SAMPLES
from tests.summarizer.batch.conftest import assert_exactly_once, read_jsonl, run_batch


def ok(result):
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    return result.stderr.decode()


@pytest.mark.slow
def test_backlog_of_1000_with_malformed_lines_then_rerun_skips_all(backlog, tmp_path):
    source, keys = backlog
    out = tmp_path / "out.jsonl"
    log = ok(run_batch(source, "-o", out, "--report-json", tmp_path / "report.json"))
    errors = tmp_path / "out.errors.jsonl"  # the default ERRORS path
    assert_exactly_once(out, errors, keys)
    rows = read_jsonl(out)
    input_ids = [
        json.loads(line)["id"] for line in source.read_text().splitlines() if line.endswith("}")
    ]
    assert [r["id"] for r in rows] == input_ids  # input order
    assert set(rows[0]) >= {"id", "summary", "engine", "model", "chars", "words"}
    assert all(r["engine"] == "extractive" and r["summary"] for r in rows)
    assert all("malformed JSON" in e["reason"] and e["raw"] for e in read_jsonl(errors))
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["done"] == len(rows) == 1000 and report["failed"] == 3
    assert "1003 records read: 1000 done" in log.splitlines()[-1]

    before = out.read_bytes(), errors.read_bytes()
    log = ok(run_batch(source, "-o", out))
    last = log.splitlines()[-1]
    assert "0 done, 1000 skipped (already done), 3 skipped (failed in an earlier run: " in last
    assert "--retry-errors tries them again" in last
    assert (out.read_bytes(), errors.read_bytes()) == before


def test_csv_input_and_custom_fields(tmp_path, sample_rows):
    source = tmp_path / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["uid", "headline", "content"])
        for i, row in enumerate(sample_rows[:5]):
            writer.writerow([f"c{i}", "Headline", row["article"]])
        writer.writerow(["c5", "Headline"])  # too few fields
    out = tmp_path / "out.jsonl"
    err = tmp_path / "bad.jsonl"
    fields = ("--id-field", "uid", "--text-field", "content")
    log = ok(run_batch(source, "-o", out, "--errors", err, *fields, "--log-every", "0"))
    assert "progress: 6/6 (100%) records, 1 failed" in log  # plain lines when not a terminal
    assert [r["id"] for r in read_jsonl(out)] == [f"c{i}" for i in range(5)]
    assert [e["line"] for e in read_jsonl(err)] == [7]
    assert not (tmp_path / "out.errors.jsonl").exists()


def test_csv_field_over_the_size_limit_is_one_error_not_a_crash(tmp_path, sample_rows):
    source = tmp_path / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text"])
        writer.writerow(["a", sample_rows[0]["article"]])
        writer.writerow(["big", "word " * (MAX_RECORD_BYTES // 5 + 10)])
        writer.writerow(["c", sample_rows[1]["article"]])
    out = tmp_path / "out.jsonl"
    log = ok(run_batch(source, "-o", out))
    assert "Traceback" not in log
    assert [r["id"] for r in read_jsonl(out)] == ["a", "c"]
    [error] = read_jsonl(tmp_path / "out.errors.jsonl")
    assert error["line"] == 3 and "row is too long" in error["reason"]
    assert "3 records read: 2 done" in log.splitlines()[-1]


def test_folder_of_mixed_files_including_an_undecodable_one(tmp_path, articles):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text(articles[0])
    paragraphs = "".join(f"<p>{p}</p>" for p in articles[1].split(". "))
    (folder / "two.html").write_text(f"<html><body><article>{paragraphs}</article></body></html>")
    (folder / "three.md").write_text("# A headline\n\n" + articles[2])
    (folder / "four.txt").write_bytes(articles[3].encode("cp1252") + b"\x93quoted\x94")
    out = tmp_path / "out.jsonl"
    ok(run_batch(folder, "-o", out, "--length", "short"))
    rows = {r["id"]: r for r in read_jsonl(out)}
    assert set(rows) == {"one", "three", "two"}
    assert "<p>" not in rows["two"]["summary"] and rows["two"]["words"] > 50
    [error] = read_jsonl(tmp_path / "out.errors.jsonl")
    assert error["key"] == "four.txt" and "UTF-8" in error["reason"]


def test_jsonl_on_stdin_and_identical_texts_summarized_once(tmp_path, sample_rows):
    article = sample_rows[0]["article"]
    lines = [json.dumps({"id": f"s{i}", "text": article}) for i in range(4)]
    lines.append(json.dumps({"id": "other", "text": sample_rows[1]["article"]}))
    out = tmp_path / "out.jsonl"
    log = ok(run_batch("-", "-o", out, stdin="\n".join(lines).encode()))
    rows = read_jsonl(out)
    assert [r["id"] for r in rows] == ["s0", "s1", "s2", "s3", "other"]
    assert len({r["summary"] for r in rows[:4]}) == 1
    assert "5 done, 3 reused" in log.splitlines()[-1]


def test_cache_serves_a_second_job(tmp_path, sample_rows):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in sample_rows[:6]))
    cache = f"sqlite:///{tmp_path / 'cache.sqlite3'}"
    ok(run_batch(source, "-o", tmp_path / "a.jsonl", "--cache", cache))
    log = ok(run_batch(source, "-o", tmp_path / "b.jsonl", "--cache", cache))
    assert "6 done, 6 from cache" in log.splitlines()[-1]
    assert read_jsonl(tmp_path / "a.jsonl") == read_jsonl(tmp_path / "b.jsonl")


def test_torn_last_line_is_repaired_on_resume(tmp_path, sample_rows):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in sample_rows))
    full = tmp_path / "full.jsonl"
    ok(run_batch(source, "-o", full))
    lines = full.read_bytes().splitlines(keepends=True)
    out = tmp_path / "out.jsonl"
    kept = b"".join(lines[:7])
    out.write_bytes(kept + lines[7][:40])  # what kill -9 in the middle of a write leaves
    log = ok(run_batch(source, "-o", out))
    assert "half-written last line" in log
    assert "13 done, 7 skipped" in log.splitlines()[-1]
    assert out.read_bytes().startswith(kept)
    assert_exactly_once(out, tmp_path / "out.errors.jsonl", {r["id"] for r in sample_rows})
    assert read_jsonl(out) == read_jsonl(full)


def test_changed_input_keeps_done_summaries_and_warns(tmp_path, sample_rows):
    source = tmp_path / "in.jsonl"
    rows = [dict(r) for r in sample_rows[:4]]
    source.write_text("\n".join(json.dumps(r) for r in rows))
    out = tmp_path / "out.jsonl"
    ok(run_batch(source, "-o", out))
    rows[1]["article"] += " A correction was appended."
    rows.append(dict(sample_rows[5]))
    source.write_text("\n".join(json.dumps(r) for r in rows))
    log = ok(run_batch(source, "-o", out))
    assert "changed since it was summarized" in log
    assert "1 done, 4 skipped" in log.splitlines()[-1]
    assert len(read_jsonl(out)) == 5


@pytest.mark.slow
def test_workers_give_the_same_output(tmp_path, sample_rows):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in sample_rows))
    ok(run_batch(source, "-o", tmp_path / "one.jsonl", "--batch-size", "4"))
    ok(run_batch(source, "-o", tmp_path / "two.jsonl", "--batch-size", "4", "--workers", "2"))
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()


@pytest.mark.slow
def test_unusable_input_or_options_exit_1_and_write_nothing(tmp_path):
    no_id = tmp_path / "in.csv"
    no_id.write_text("name,text\na,b\n")
    cases = [
        (tmp_path / "missing.jsonl",),
        (no_id,),
        (SAMPLES / "cnndm_sample.jsonl", "--model", "no-such-model"),
        (SAMPLES / "cnndm_sample.jsonl", "--length", "huge"),
        (SAMPLES / "cnndm_sample.jsonl", "--engine", "spark"),
    ]
    for args in cases:
        out = tmp_path / "out.jsonl"
        result = run_batch(*args, "-o", out)
        err = result.stderr.decode()
        assert result.returncode == 1, (args, err)
        assert err.strip().splitlines()[-1].startswith("error: "), err
        assert "Traceback" not in err
        assert not out.exists() or out.read_bytes() == b""


def test_fail_on_errors_exit_status(tmp_path, sample_rows):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(sample_rows[0]) + "\n{oops\n")
    assert run_batch(source, "-o", tmp_path / "a.jsonl").returncode == 0
    assert run_batch(source, "-o", tmp_path / "b.jsonl", "--fail-on-errors").returncode == 3


@pytest.mark.slow
def test_seq2seq_checkpoint_through_the_batch_command(tmp_path, tiny_bart):
    source = tmp_path / "in.jsonl"
    texts = [
        "The council approved the new budget on Monday. Taxes will not rise this year.",
        "A storm closed the harbour. Ferries will run again when the wind drops.",
        "The museum reopened after repairs. Visitors queued for hours to get in.",
    ]
    source.write_text("\n".join(json.dumps({"id": i, "body": t}) for i, t in enumerate(texts)))
    out = tmp_path / "out.jsonl"
    ok(
        run_batch(
            source,
            "-o",
            out,
            "--model",
            tiny_bart,
            "--batch-size",
            "2",
            "--max-words",
            "8",
            "--threads",
            "1",
        )
    )
    rows = read_jsonl(out)
    assert [r["id"] for r in rows] == ["0", "1", "2"]
    assert {r["engine"] for r in rows} == {"seq2seq"} and all(r["summary"] for r in rows)


@pytest.mark.slow
def test_retry_errors_tries_failed_records_again_and_keeps_the_old_errors(tmp_path, sample_rows):
    source = tmp_path / "in.jsonl"
    rows = [dict(r) for r in sample_rows[:3]]
    bad_id = rows[1]["id"]
    fixed_text = rows[1]["article"]
    rows[1]["article"] = "<script>only script, no words</script>"
    lines = [json.dumps(r) for r in rows] + ['{"id": "torn", "article": "cut off']
    source.write_text("\n".join(lines))
    out, errors = tmp_path / "out.jsonl", tmp_path / "out.errors.jsonl"
    ok(run_batch(source, "-o", out))
    assert {r["key"] for r in read_jsonl(errors)} == {bad_id, "line:4"}

    rows[1]["article"] = fixed_text  # the editor fixes the article
    source.write_text("\n".join([json.dumps(r) for r in rows] + lines[3:]))
    ok(run_batch(source, "-o", out))  # a plain re-run skips what already failed
    assert bad_id not in {r["id"] for r in read_jsonl(out)}

    log = ok(run_batch(source, "-o", out, "--retry-errors"))
    assert "1 done, 2 skipped (already done), 1 failed" in log.splitlines()[-1]
    assert [r["key"] for r in read_jsonl(errors)] == ["line:4"]  # failed again
    assert_exactly_once(out, errors, {r["id"] for r in rows} | {"line:4"})
    (aside,) = tmp_path.glob("out.errors.jsonl.retried-*")
    assert {r["key"] for r in read_jsonl(aside)} == {bad_id, "line:4"}  # nothing deleted

"""``--engine ray`` on a local Ray instance with 2 CPUs: same output and resume as the local run.

One Ray run for the module (Ray start-up is slow on small machines).
"""

import json

import pytest

from tests.summarizer.batch.conftest import assert_exactly_once, read_jsonl, run_batch

pytest.importorskip("ray", reason="the ray extra is not installed")


@pytest.fixture(scope="module")
def runs(tmp_path_factory, sample_rows):
    folder = tmp_path_factory.mktemp("ray")
    lines = [json.dumps(r) for r in sample_rows]
    lines.insert(5, "{broken")
    lines.append(json.dumps({"id": sample_rows[0]["id"], "article": "A duplicate id."}))
    lines.append(json.dumps({"id": "empty", "article": ""}))
    lines.append(json.dumps({"id": "copy", "article": sample_rows[3]["article"]}))
    source = folder / "in.jsonl"
    source.write_text("\n".join(lines) + "\n")

    local = folder / "local.jsonl"
    result = run_batch(source, "-o", local, "--batch-size", "4")
    assert result.returncode == 0, result.stderr.decode()[-2000:]

    # The Ray run resumes a job that a crash stopped: 8 lines done, a 9th torn in half.
    ray_out = folder / "ray.jsonl"
    done = local.read_bytes().splitlines(keepends=True)
    ray_out.write_bytes(b"".join(done[:8]) + done[8][:30])
    result = run_batch(
        source, "-o", ray_out, "--engine", "ray", "--ray-cpus", "2", "--workers", "2",
        "--batch-size", "4", timeout=240,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    keys = {r["id"] for r in sample_rows} | {"line:6", f"{sample_rows[0]['id']}@line:22"}
    keys |= {"empty", "copy"}
    return folder, local, ray_out, keys, result.stderr.decode()


@pytest.mark.slow
def test_ray_run_gives_the_same_ids_and_summaries_as_the_local_run(runs):
    folder, local, ray_out, keys, _ = runs
    assert read_jsonl(ray_out) == read_jsonl(local)
    assert read_jsonl(folder / "ray.errors.jsonl") == read_jsonl(folder / "local.errors.jsonl")
    assert_exactly_once(ray_out, folder / "ray.errors.jsonl", keys)


@pytest.mark.slow
def test_ray_run_resumed_after_a_torn_line(runs):
    _, _, _, _, log = runs
    assert "half-written last line" in log
    assert "13 done" in log.splitlines()[-1] and "8 skipped" in log.splitlines()[-1]

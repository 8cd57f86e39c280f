"""``python -m summarizer serve`` as a real process on a loopback port."""

from __future__ import annotations

import json
import shutil
import signal
import statistics
import subprocess
import sys
import time

import httpx
import pytest

from tests.api.conftest import ROOT, start_serve
from tests.subprocesses import run_python


@pytest.mark.slow
def test_serve_offline_summarizes_caches_and_stops_cleanly(tmp_path, article):
    # the --model flag wins over the environment
    env = {"SUMMARIZER_LOG_JSON": "true", "SUMMARIZER_MODEL": "no-such-model"}
    server = start_serve(tmp_path, "--model", "auto", env=env)
    try:
        body = {"text": article, "id": "x1"}
        with httpx.Client(base_url=server.url, timeout=30) as c:
            first = c.post("/v1/summaries", json=body, headers={"X-Request-ID": "req-first"})
            again = [c.post("/v1/summaries", json=body).json() for _ in range(5)]
            bad = c.post("/v1/summaries", content=b"{oops", headers={"content-type": "x/y"})
            metrics = c.get("/metrics").text
    finally:
        server.process.send_signal(signal.SIGTERM)
        code = server.process.wait(timeout=30)
    assert first.status_code == 200, first.text
    assert first.json()["engine"] == "extractive" and first.json()["cached"] is False
    assert first.json()["id"] == "x1"
    assert all(a["cached"] is True for a in again)
    assert statistics.median(a["timing"]["total_ms"] for a in again) < 10
    assert bad.status_code == 415 and bad.json()["error"]["code"] == "unsupported_media_type"
    assert "summarizer_http_requests_total" in metrics
    # uvicorn shuts down gracefully, then re-raises the signal: killed by SIGTERM, after the log
    # line that says the cache was flushed (checked below)
    assert code in (0, -signal.SIGTERM)

    lines = [
        json.loads(line) for line in server.log.read_text().splitlines() if line.startswith("{")
    ]
    access = [rec for rec in lines if rec["logger"] == "api.access"]
    assert any(rec["request_id"] == "req-first" and rec["status"] == 200 for rec in access)
    assert all(rec["request_id"] != "-" for rec in access)
    assert any("cache flushed" in rec["message"] for rec in lines)
    assert "Traceback" not in server.log.read_text()


def test_serve_with_an_unknown_model_fails_fast(tmp_path):
    result = run_python("-m", "summarizer", "serve", "--model", "no-such-model", "--port", "1")
    assert result.returncode == 1
    assert result.stderr.decode().strip().splitlines()[-1].startswith("error: ")


def test_serve_rejects_invalid_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "summarizer", "serve", "--port", "1"],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        env={
            "SUMMARIZER_QUEUE_MAX_DEPTH": "zero",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
        },
    )
    assert result.returncode == 1
    assert "SUMMARIZER_QUEUE_MAX_DEPTH" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()


@pytest.mark.slow
def test_two_workers_share_the_sqlite_cache(tmp_path, articles):
    server = start_serve(tmp_path, "--workers", "2", env={"SUMMARIZER_LOG_JSON": "false"})
    try:
        end = time.monotonic() + 60
        while server.log.read_text().count("ready in") < 2 and time.monotonic() < end:
            time.sleep(0.1)  # /readyz answered from one worker; wait for the other too
        results = []
        for text in articles[:6]:
            # a new connection each time, so the kernel spreads them over both workers
            for _ in range(2):
                r = httpx.post(f"{server.url}/v1/summaries", json={"text": text}, timeout=30)
                results.append(r.json()["cached"])
        # serve gave the workers a shared metrics folder of its own: every scrape sums both
        scrapes = [httpx.get(f"{server.url}/metrics", timeout=10).text for _ in range(4)]
    finally:
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=30)
    assert results == [False, True] * 6
    assert [_served(text) for text in scrapes] == [12.0] * 4
    log = server.log.read_text()
    assert log.count("ready in") == 2  # both workers loaded the model
    assert "Traceback" not in log


def _served(metrics_text: str) -> float:
    """Summary requests answered 200, from a /metrics text."""
    prefix = 'summarizer_http_requests_total{method="POST",route="/v1/summaries",status="200"}'
    return sum(
        float(line.split()[-1]) for line in metrics_text.splitlines() if line.startswith(prefix)
    )


@pytest.mark.slow
def test_metrics_count_the_requests_of_every_worker(tmp_path, articles):
    from concurrent.futures import ThreadPoolExecutor

    from prometheus_client import CollectorRegistry, generate_latest
    from prometheus_client.multiprocess import MultiProcessCollector

    shared = tmp_path / "metrics"
    shared.mkdir()
    env = {"SUMMARIZER_LOG_JSON": "false", "PROMETHEUS_MULTIPROC_DIR": str(shared)}
    server = start_serve(tmp_path, "--workers", "2", env=env)
    try:
        end = time.monotonic() + 60
        while server.log.read_text().count("ready in") < 2 and time.monotonic() < end:
            time.sleep(0.1)

        def one(i: int) -> int:
            # a new connection each time, several at once, so both workers take some
            body = {"text": articles[i % len(articles)]}
            return httpx.post(f"{server.url}/v1/summaries", json=body, timeout=30).status_code

        with ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(one, range(40)))
        scrapes = [httpx.get(f"{server.url}/metrics", timeout=10).text for _ in range(6)]
    finally:
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=30)
    assert statuses == [200] * 40
    # whichever worker answered the scrape, it reports the requests of both
    assert [_served(text) for text in scrapes] == [40.0] * 6
    # and both did serve some: each worker's own files, read alone, hold part of the count
    per_worker = []
    pids = {p.stem.rsplit("_", 1)[-1] for p in shared.glob("counter_*.db")}
    for pid in pids:
        alone = tmp_path / f"alone-{pid}"
        alone.mkdir()
        for path in shared.glob(f"*_{pid}.db"):
            shutil.copy(path, alone / path.name)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(alone))
        per_worker.append(_served(generate_latest(registry).decode()))
    assert len([n for n in per_worker if n > 0]) == 2, per_worker
    assert sum(per_worker) == 40

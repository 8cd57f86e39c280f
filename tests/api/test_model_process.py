"""SUMMARIZER_MODEL_PROCESS: the model in one child process (summarizer.engines.process)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import shutil
import signal
import time

import httpx
import pytest

from api.app import create_app
from summarizer.engines.process import ProcessEngine
from summarizer.errors import ModelLoadError
from summarizer.load_options import LoadOptions, ModelSpec
from summarizer.options import SummaryOptions
from summarizer.text import prepare
from tests.api.conftest import await_ready, start_serve, stop_serve

READY_SECONDS = 120  # a spawned child imports torch and loads the checkpoint


@contextlib.asynccontextmanager
async def serving(app):
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            await await_ready(c, READY_SECONDS)
            yield c


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def child_engine(app) -> ProcessEngine:
    engine = app.state.service.summarizer.engine
    assert isinstance(engine, ProcessEngine)
    return engine


@pytest.mark.slow
def test_what_crosses_to_the_model_process_pickles(bart_engine, articles):
    doc = prepare(articles[0][:1500], "text")
    options = SummaryOptions(length="short", format="bullets")
    summary = bart_engine.summarize_batch([doc], options)[0]
    for value in (doc, options, summary):
        assert pickle.loads(pickle.dumps(value)) == value


@pytest.mark.slow
def test_model_process_serves_writes_the_parents_cache_and_stops(
    tiny_bart, make_settings, articles
):
    settings = make_settings(model=str(tiny_bart), device="cpu", num_beams=1, model_process=True)
    app = create_app(settings)
    text = articles[1][:1500]

    async def main():
        async with serving(app) as c:
            pid = child_engine(app).pid()
            assert pid is not None and pid != os.getpid() and alive(pid)
            first = await c.post("/v1/summaries", json={"text": text, "length": "short"})
            again = await c.post("/v1/summaries", json={"text": text, "length": "short"})
            models = (await c.get("/v1/models")).json()
        return pid, first, again, models

    pid, first, again, models = asyncio.run(main())
    assert first.status_code == 200, first.text
    assert first.json()["engine"] == "seq2seq" and first.json()["summary"].strip()
    # written by the parent's Summarizer into its cache, read back without the model
    assert again.json()["cached"] is True and again.json()["summary"] == first.json()["summary"]
    assert models["loaded"]["engine"] == "seq2seq" and models["loaded"]["process"] == "child"
    assert models["loaded"]["num_beams"] == 1  # the child loaded with the parent's LoadOptions
    # threads unset: all cores but the one left to the event loop
    assert models["loaded"]["threads"] == max(1, (os.cpu_count() or 1) - 1)
    # shutdown stopped and reaped the child: no orphan
    assert not alive(pid)


@pytest.mark.slow
@pytest.mark.hostile(
    "http",
    "When the model's process dies, the request it was serving gets 500 model_process_died, "
    "/readyz is 503 until a new model process has loaded, then requests are summarized again.",
)
def test_a_killed_model_process_fails_its_request_and_is_replaced(
    tiny_bart, make_settings, articles
):
    settings = make_settings(
        model=str(tiny_bart), device="cpu", num_beams=1, model_process=True, cache_url="none"
    )
    app = create_app(settings)

    async def main():
        async with serving(app) as c:
            engine = child_engine(app)
            dead = engine.pid()
            os.kill(dead, signal.SIGKILL)
            end = time.monotonic() + 10
            while alive(dead) and time.monotonic() < end:
                await asyncio.sleep(0.02)
            failed = await c.post("/v1/summaries", json={"text": articles[2][:1500]})
            restarting = await c.get("/readyz")
            await await_ready(c, READY_SECONDS)  # the new child, started without a request
            after = await c.post("/v1/summaries", json={"text": articles[3][:1500]})
            return dead, engine.pid(), failed, restarting, after

    dead, new, failed, restarting, after = asyncio.run(main())
    assert failed.status_code == 500
    assert failed.json()["error"]["code"] == "model_process_died"
    # a load balancer takes the replica out while its new model process loads
    assert restarting.status_code == 503
    assert "model process restarting" in restarting.text
    assert after.status_code == 200, after.text
    assert after.json()["summary"].strip()
    assert new is not None and new != dead


@pytest.mark.slow
@pytest.mark.hostile(
    "library",
    "A checkpoint the model process cannot load fails start-up with the child's own load "
    "error, and leaves no process behind.",
)
def test_a_model_the_child_cannot_load_is_a_clear_start_up_error(tiny_bart, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(tiny_bart, broken)
    (broken / "model.safetensors").write_bytes(b"not a safetensors file")
    spec = ModelSpec(engine="seq2seq", source=str(broken), name="broken")
    children_before = set(os.listdir("/proc"))
    with pytest.raises(ModelLoadError) as caught:
        ProcessEngine(spec, LoadOptions(device="cpu"))
    assert str(broken) in str(caught.value) and "SafetensorError" in str(caught.value)
    new = {int(p) for p in set(os.listdir("/proc")) - children_before if p.isdigit()}
    # multiprocessing's resource tracker serves this process for its lifetime; no other child
    left = [p for p in new if alive(p) and _parent(p) == os.getpid()]
    assert not [p for p in left if b"resource_tracker" not in _cmdline(p)]


def _parent(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return None


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""


def _children(pid: int) -> list[int]:
    found = []
    for listing in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{listing}/children") as f:
            found += [int(child) for child in f.read().split()]
    return found


def _spawned(pid: int) -> list[int]:
    """The children of ``pid`` that multiprocessing's spawn started: the model process and the
    preparation workers (summarizer/isolation.py)."""
    return [child for child in _children(pid) if b"spawn_main" in _cmdline(child)]


@pytest.mark.slow
def test_serve_stops_its_model_process_on_sigterm(tiny_bart, tmp_path):
    serve = start_serve(
        tmp_path,
        env={
            "SUMMARIZER_MODEL": str(tiny_bart),
            "SUMMARIZER_DEVICE": "cpu",
            "SUMMARIZER_NUM_BEAMS": "1",
            "SUMMARIZER_MODEL_PROCESS": "true",
        },
    )
    try:
        models = httpx.get(f"{serve.url}/v1/models", timeout=10).json()
        children = _spawned(serve.process.pid)
    finally:
        stop_serve(serve)
    assert models["loaded"]["process"] == "child"
    assert len(children) >= 2  # the model process and preparation workers, started by spawn
    assert "stopped; cache flushed" in serve.log.read_text()  # a graceful stop, then:
    end = time.monotonic() + 10
    while any(alive(p) for p in children) and time.monotonic() < end:
        time.sleep(0.05)
    assert not any(alive(p) for p in children)


@pytest.mark.slow
@pytest.mark.hostile(
    "http",
    "A server process that is killed (SIGKILL, a crash) leaves no model process and no "
    "preparation worker running.",
)
def test_a_killed_server_leaves_no_model_process(tiny_bart, tmp_path):
    serve = start_serve(
        tmp_path,
        env={
            "SUMMARIZER_MODEL": str(tiny_bart),
            "SUMMARIZER_DEVICE": "cpu",
            "SUMMARIZER_MODEL_PROCESS": "true",
        },
    )
    children = _spawned(serve.process.pid)
    serve.process.kill()
    serve.process.wait(timeout=10)
    end = time.monotonic() + 10
    while any(alive(p) for p in children) and time.monotonic() < end:
        time.sleep(0.05)
    assert len(children) >= 2  # the model process and preparation workers
    assert not any(alive(p) for p in children)

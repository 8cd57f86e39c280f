"""Part "hits": cache hits against the bare anchor by turns, misses, hits with the access log."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from benchmarks.loadtest.servers import Proxy, bare, post, serve
from benchmarks.loadtest.wrk import Run, Wrk


@dataclass
class HitResults:
    engine: dict
    hit_seconds: float  # one hit from a fresh connection
    hits: dict[int, Run]
    bares: dict[int, Run]
    proxied_hits: dict[int, Run]  # through nginx (the documented deployment)
    proxied_bares: dict[int, Run]
    misses: dict[int, Run]
    logged_connections: int
    logged: Run  # hits with the INFO access log on


def measure_hits(tmp: Path, wrk: Wrk, text: str, connections: tuple[int, ...]) -> HitResults:
    """Cache hits and the bare anchor by turns, then misses, then hits with the access log."""
    ours = serve(tmp, "ours", {"SUMMARIZER_MODEL": "extractive"})
    try:
        first, _ = post(ours.url, text)
        hit, hit_seconds = post(ours.url, text)
        assert first.status_code == 200 and hit.json()["cached"] is True, hit.text
        engine = httpx.get(f"{ours.url}/v1/models").json()["loaded"]
        anchor = bare(tmp, hit.json())
        # nginx in front of each, letting every connection through (no shedding here)
        ours_proxy = Proxy(tmp, ours, in_flight=4 * max(connections))
        bare_proxy = Proxy(tmp, anchor, in_flight=4 * max(connections))
        try:
            hits, bares, proxied_hits, proxied_bares = {}, {}, {}, {}
            for c in connections:
                hits[c] = wrk.run(f"ours, hit, {c}", ours.url, text, c)
                bares[c] = wrk.run(f"bare, {c}", anchor.url, text, c)
                proxied_hits[c] = wrk.run(f"nginx+ours, hit, {c}", ours_proxy.url, text, c)
                proxied_bares[c] = wrk.run(f"nginx+bare, {c}", bare_proxy.url, text, c)
        finally:
            ours_proxy.stop()
            bare_proxy.stop()
            anchor.stop()
        misses = {
            c: wrk.run(f"ours, miss, {c}", ours.url, text, c, distinct=True, track=True)
            for c in connections
        }
    finally:
        ours.stop()
    logged_server = serve(
        tmp, "logged", {"SUMMARIZER_MODEL": "extractive", "SUMMARIZER_LOG_LEVEL": "INFO"}
    )
    try:
        post(logged_server.url, text)
        c_logged = 16 if 16 in connections else connections[0]
        logged = wrk.run(f"ours, hit, INFO, {c_logged}", logged_server.url, text, c_logged)
    finally:
        logged_server.stop()
    return HitResults(
        engine, hit_seconds, hits, bares, proxied_hits, proxied_bares, misses, c_logged, logged
    )

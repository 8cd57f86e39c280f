"""The HTTP load test behind ``benchmarks/load.py``, one job a module.

- ``inputs``: the articles sent (the dev set's or the sample's), one near a length, joined;
- ``servers``: ``summarizer serve`` and the bare anchor as processes on free loopback ports;
- ``wrk``: running wrk (POST runs through the Lua script, GET probes) and reading its results;
- ``metrics``: /metrics, the threads' CPU (/proc), nstat and ss readings, a phase between two;
- ``hits``, ``workers``, ``flood``: one part of a run each, measured;
- ``report``: everything a run measured, written as the Markdown of docs/load.md.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

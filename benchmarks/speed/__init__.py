"""The engine speed benchmark behind ``benchmarks/run.py``, one job a module.

- ``systems``: the architectures measured and the fixed workload;
- ``rows``: which rows (a system at one setting) a model gets, and the trade-off rows;
- ``inputs``: the random-weight checkpoints, their conversion, and the articles cut to fit;
- ``child``: loading one system and timing it, in the child process a row runs in;
- ``measure``: running each row in a child process of its own and collecting what it measured;
- ``targets``: the best setting and the issue's speed and memory targets;
- ``machine``: what a run records about the machine and the command;
- ``report``: the sections of docs/benchmarks.md, rendered and merged with the ones kept.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "run.py"

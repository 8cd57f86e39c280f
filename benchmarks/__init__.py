"""Benchmark scripts (run as ``python benchmarks/NAME.py``) and the modules they share.

A regular package, so that ``benchmarks.speed`` is this folder's even where an installed
distribution ships a top-level ``benchmarks`` of its own (pysbd does).
"""

"""Benchmarks for ChargeDesk (not tests): throughput, latency and memory on loopback.

Each module runs as `python -m bench.<name>` (or `python bench/<name>.py`);
figures and commands are recorded in docs/performance.md.
"""

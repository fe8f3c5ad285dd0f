"""Benchmarks: `make bench` runs them all (`python -m benchmarks`).

Not timed tests: they measure and record (benchmarks/results/*.json), they do
not pass or fail on a number.
"""

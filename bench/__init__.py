"""Benchmarks: run as scripts, smoke-tested by tests/bench so they cannot rot."""

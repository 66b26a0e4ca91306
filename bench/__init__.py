"""Benchmarks: seeded databases and timings through the core."""

"""Benchmarks. Each module bench_*.py has main() printing a table, with its baseline measured in the same run."""

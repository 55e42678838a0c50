"""Pieces of the load benchmark (benchmarks/bench_load.py): database, seed, servers,
simulated interviewers, checks and report."""

"""A list-serving fake vendor for sync tests and benchmarks (see provider.py)."""

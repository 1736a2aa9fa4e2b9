"""The benchmark: synthetic knowledge at growing sizes, our matcher against plain baselines.

Run it with `python -m bench` (see README, "Benchmark").
"""

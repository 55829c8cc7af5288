"""The report site, the scenario runs and the benchmarks: run by make, never imported by a notebook."""

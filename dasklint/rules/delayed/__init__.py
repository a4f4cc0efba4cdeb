"""DSK3xx: misuse of dask.delayed and of computing in loops."""

"""DSK10xx: deprecated and removed APIs, gated by target-dask-version."""

"""Running many files: discovery, the cache, worker processes or a Dask cluster."""

"""DSK9xx: Dask Arrays."""

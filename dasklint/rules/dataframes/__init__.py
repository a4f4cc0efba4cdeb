"""DSK8xx: Dask DataFrames."""

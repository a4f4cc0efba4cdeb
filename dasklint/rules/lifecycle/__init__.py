"""DSK2xx: the script's and the cluster's lifecycle (main guard, closing, clusters per call)."""

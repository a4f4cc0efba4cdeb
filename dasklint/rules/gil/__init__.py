"""DSK5xx: task functions that hold the GIL on threads."""

"""DSK4xx: task granularity."""

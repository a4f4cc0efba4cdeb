"""DSK1xx: the scheduler a computation runs on and its configuration."""

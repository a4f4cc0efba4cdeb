"""DSK6xx: unnecessary dependencies between tasks."""

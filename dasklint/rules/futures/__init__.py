"""DSK7xx: futures (client.submit, result, gather)."""

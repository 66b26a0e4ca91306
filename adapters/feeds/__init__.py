"""Calendar feeds at the edge: fetching them over HTTP and reading iCalendar into core events."""

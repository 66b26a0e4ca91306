"""The training domain: profile, exercise catalog, weekly placement, sessions and progression."""

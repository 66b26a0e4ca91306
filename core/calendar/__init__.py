"""A runner's plan from their calendar: events, the kind of run each is, the weeks and the taper."""

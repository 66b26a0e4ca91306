"""Runlift's composition root: settings, application wiring, scheduler and CLI."""

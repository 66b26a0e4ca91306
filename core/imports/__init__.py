"""Importing a runner's history from other loggers' exports (Strong, Hevy, FitNotes)."""

"""Nudges: the rules, what is due when, their words, and the scheduler pass."""

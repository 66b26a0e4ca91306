"""Runlift's pure domain: training, logging and accountability rules."""

"""Adapters at the edge: chat transports and the database."""

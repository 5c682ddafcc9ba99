"""Reads inside the current cooperative's schema."""

"""Bundled datasets (placeholder until the datasets issue lands)."""

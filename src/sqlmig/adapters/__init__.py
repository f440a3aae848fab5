"""Adapters to the world around sqlmig: the embedded PostgreSQL server and the pytest plugin."""

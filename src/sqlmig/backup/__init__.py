"""Verified pg_dump backups and restores."""

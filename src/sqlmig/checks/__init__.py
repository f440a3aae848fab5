"""Integrity checks: SQL files returning PASS/WARN/FAIL rows, run read-only on one snapshot."""

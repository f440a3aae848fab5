"""Governance: environment policies, maintenance windows, approvals and their review."""

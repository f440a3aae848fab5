"""Fleets: apply, status and checks across many databases or tenant schemas."""

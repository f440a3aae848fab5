"""The compliance report (docs/compliance.md)."""

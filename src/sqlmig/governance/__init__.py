"""sqlmig.governance."""

"""sqlmig.adapters."""

"""sqlmig.core."""

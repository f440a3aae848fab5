"""sqlmig.checks."""

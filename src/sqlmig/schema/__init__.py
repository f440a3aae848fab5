"""sqlmig.schema."""

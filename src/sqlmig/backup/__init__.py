"""sqlmig.backup."""

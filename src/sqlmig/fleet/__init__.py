"""sqlmig.fleet."""

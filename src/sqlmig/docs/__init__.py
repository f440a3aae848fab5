"""sqlmig.docs."""

"""sqlmig.cli.render."""

"""The schema as the server sees it: the catalog layer, snapshots, drift and rollback proofs."""

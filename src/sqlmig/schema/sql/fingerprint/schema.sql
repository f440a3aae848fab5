-- The fingerprint of a schema: one digest per catalog query (the catalog
-- layer's own queries, sql/catalog/*.sql, in catalog.QUERIES order, each
-- wrapped by digest.sql), computed in the server in one statement.  The
-- CTEs of sql/catalog/scope.sql come first, as they do for each query of
-- catalog.introspect, so every digest covers exactly the rows introspect reads.
{scope}
SELECT ARRAY[{digests}]::text[] AS digests

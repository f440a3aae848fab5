-- The expected snapshots kept in a cached template (sqlmig.schema.drift), in
-- its ledger schema, where snapshots do not look (relations named sqlmig_*).
-- One row per kind of snapshot; `key` is everything the template was built
-- from, `digest` the SHA-256 of key, kind and snapshot; a NULL snapshot means
-- "snapshot the template itself" (one that would not read back exactly).
CREATE TABLE {table} (
    privileges boolean PRIMARY KEY,
    key        text NOT NULL,
    snapshot   text,
    digest     text NOT NULL
)

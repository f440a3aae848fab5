-- sqlmig: description Applied migrations match their files on disk (the ledger's checksums)
-- sqlmig: tags builtin, ledger
-- sqlmig: needs ledger
-- sqlmig runs this query with search_path set to the ledger schema and binds
-- migration_files: a JSON array of {version, name, checksum}, one per file
-- in sql/migrations. Percent signs are doubled because of that binding.
-- When no migration was applied yet (no ledger) sqlmig reports PASS.
WITH files AS (
    SELECT (f ->> 'version')::bigint AS version, f ->> 'name' AS name, f ->> 'checksum' AS checksum
      FROM jsonb_array_elements(%(migration_files)s::jsonb) AS f
)
SELECT 'FAIL' AS status,
       a.name AS name,
       CASE WHEN f.version IS NULL
            THEN format('version %%s (%%s) is applied but its file is missing from sql/migrations; restore the file from version control',
                        a.version, a.name)
            ELSE format('migrations/%%s.sql changed since it was applied (ledger %%s, file %%s); restore the file as applied and put the change in a new migration',
                        f.name, left(a.checksum, 12), left(f.checksum, 12))
       END AS detail,
       a.version,
       a.checksum AS ledger_checksum,
       f.checksum AS file_checksum
  FROM schema_migrations a
  LEFT JOIN files f ON f.version = a.version
 WHERE f.version IS NULL OR f.checksum <> a.checksum
 ORDER BY a.version;

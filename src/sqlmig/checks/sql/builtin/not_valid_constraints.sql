-- sqlmig: description No constraints left NOT VALID (added without checking the existing rows)
-- sqlmig: tags builtin, constraints
-- ADD CONSTRAINT ... NOT VALID is the safe first half of adding a constraint
-- to a busy table; the second half, VALIDATE CONSTRAINT, takes only a SHARE
-- UPDATE EXCLUSIVE lock. Until then, old rows may break the rule and the
-- planner cannot rely on it. Constraints of partitions are reported once, on
-- their partitioned table; domain constraints are included.
SELECT 'WARN' AS status,
       CASE WHEN c.conrelid <> 0 THEN format('%s.%s', c.conrelid::regclass, quote_ident(c.conname))
            ELSE format('%s.%s', c.contypid::regtype, quote_ident(c.conname)) END AS name,
       CASE WHEN c.conrelid <> 0
            THEN format('constraint %s on %s is NOT VALID: existing rows were never checked; fix: ALTER TABLE %s VALIDATE CONSTRAINT %s',
                        quote_ident(c.conname), c.conrelid::regclass, c.conrelid::regclass, quote_ident(c.conname))
            ELSE format('constraint %s on domain %s is NOT VALID: existing values were never checked; fix: ALTER DOMAIN %s VALIDATE CONSTRAINT %s',
                        quote_ident(c.conname), c.contypid::regtype, c.contypid::regtype, quote_ident(c.conname))
       END AS detail,
       CASE c.contype WHEN 'c' THEN 'check' WHEN 'f' THEN 'foreign key' WHEN 'n' THEN 'not null'
                      ELSE c.contype::text END AS constraint_type,
       pg_catalog.pg_get_constraintdef(c.oid) AS definition
  FROM pg_catalog.pg_constraint c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace
 WHERE NOT c.convalidated
   AND c.conparentid = 0
   AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
 ORDER BY 2;

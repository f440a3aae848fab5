-- expect: drop-index-not-concurrently, foreign-key-without-index, rename-column
SET LOCAL lock_timeout = '5s';

-- step: -- DROP TABLE {t};
-- DROP TABLE sessions57;
/* ALTER TABLE sessions57 DROP COLUMN score; VACUUM FULL sessions57; */
SELECT 231;

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS accounts70_owner_id_idx249;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE shipments71 ADD CONSTRAINT shipments71_status_fk FOREIGN KEY (status) REFERENCES parents (id) NOT VALID;
ALTER TABLE shipments71 VALIDATE CONSTRAINT shipments71_status_fk;

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE messages72 RENAME COLUMN owner_id TO owner_id_old;

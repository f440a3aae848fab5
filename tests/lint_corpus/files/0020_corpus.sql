-- expect: add-not-null-column-without-default
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE alerts84 ADD COLUMN score_at timestamptz DEFAULT now();
COMMENT ON COLUMN alerts84.score_at IS 'Added.';

-- step: -- DROP TABLE {t};
-- DROP TABLE accounts2;
/* ALTER TABLE accounts2 DROP COLUMN email; VACUUM FULL accounts2; */
SELECT 498;

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE accounts55 ADD COLUMN owner_id_id bigint NOT NULL;
COMMENT ON COLUMN accounts55.owner_id_id IS 'Added.';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE users32 ADD CONSTRAINT users32_owner_id_chk CHECK (owner_id > 257) NOT VALID;

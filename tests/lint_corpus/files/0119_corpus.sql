-- expect: add-not-null-column-without-default, create-index-not-concurrently, delete-without-where
SET LOCAL lock_timeout = '5s';

-- step: DELETE FROM {t};
DELETE FROM coupons35;

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE messages26 ADD COLUMN region_id bigint NOT NULL;
COMMENT ON COLUMN messages26.region_id IS 'Added.';

-- step: CREATE INDEX IF NOT EXISTS {i} ON {t} ({
CREATE INDEX IF NOT EXISTS carts55_owner_id_idx512 ON carts55 (owner_id);

-- expect: add-not-null-column-without-default, constraint-without-not-valid, vacuum-full, volatile-default
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE coupons84 ADD COLUMN total_id bigint NOT NULL;
COMMENT ON COLUMN coupons84.total_id IS 'Added.';

-- step: VACUUM FULL {t};
VACUUM FULL tickets88;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE accounts51 ADD CONSTRAINT accounts51_score_chk CHECK (score > 429);

-- step: ALTER TABLE {t} ADD COLUMN {c}_uid uuid 
ALTER TABLE users9 ADD COLUMN kind_uid uuid NOT NULL DEFAULT gen_random_uuid();
COMMENT ON COLUMN users9.kind_uid IS 'Added.';

-- expect: constraint-without-not-valid, drop-schema-cascade, foreign-key-without-index, rename-column
SET LOCAL lock_timeout = '5s';

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS accounts89_s CASCADE;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE users20 ADD CONSTRAINT users20_score_fk FOREIGN KEY (score) REFERENCES parents (id);

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE alerts85 DROP COLUMN kind';
END
$$;

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE coupons53 RENAME COLUMN status TO status_old;

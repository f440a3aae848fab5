-- expect: drop-schema-cascade, update-without-where
SET LOCAL lock_timeout = '5s';

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS tickets97_s CASCADE;

-- step: CREATE TABLE IF NOT EXISTS {t}_new (
CREATE TABLE IF NOT EXISTS reviews29_new (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS reviews29_new_kind_idx ON reviews29_new (kind);
COMMENT ON TABLE reviews29_new IS 'New reviews29 rows.';
COMMENT ON COLUMN reviews29_new.id IS 'Key.';
COMMENT ON COLUMN reviews29_new.kind IS 'Value.';
COMMENT ON COLUMN reviews29_new.created_at IS 'When.';

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE coupons86 ADD CONSTRAINT amount_nn CHECK (amount IS NOT NULL) NOT VALID;
ALTER TABLE coupons86 VALIDATE CONSTRAINT amount_nn;
ALTER TABLE coupons86 ALTER COLUMN amount SET NOT NULL;
ALTER TABLE coupons86 DROP CONSTRAINT amount_nn;

-- step: UPDATE {t} SET {c} = {n};
UPDATE reviews31 SET kind = 246;

-- expect: drop-column, rename-column, volatile-default
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_uid uuid 
ALTER TABLE messages1 ADD COLUMN label_uid uuid NOT NULL DEFAULT gen_random_uuid();
COMMENT ON COLUMN messages1.label_uid IS 'Added.';

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE accounts80 RENAME COLUMN owner_id TO owner_id_old;

-- step: ALTER TABLE "{T}" DROP COLUMN "{C}";
ALTER TABLE "Users79" DROP COLUMN "Amount";

-- expect: alter-column-type, drop-column, missing-comment, missing-primary-key, rename-column
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE "{T}" DROP COLUMN "{C}";
ALTER TABLE "Messages29" DROP COLUMN "Region";

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE alerts4 ALTER COLUMN score TYPE bigint;

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE carts25 RENAME COLUMN email TO email_old;

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS invoices26_log (msg text);

-- expect: constraint-without-not-valid, foreign-key-without-index, rename-column
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE payments14 RENAME COLUMN kind TO kind_old;

-- step: -- DROP TABLE {t};
-- DROP TABLE devices12;
/* ALTER TABLE devices12 DROP COLUMN label; VACUUM FULL devices12; */
SELECT 404;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE carts59 ADD CONSTRAINT carts59_email_fk FOREIGN KEY (email) REFERENCES parents (id);

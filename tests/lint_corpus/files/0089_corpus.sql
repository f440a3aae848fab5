-- expect: constraint-without-not-valid, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: DELETE FROM {t} WHERE created_at < now()
DELETE FROM reviews4 WHERE created_at < now() - interval '90 days';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE messages86 ADD CONSTRAINT messages86_score_fk FOREIGN KEY (score) REFERENCES parents (id);

-- expect: constraint-without-not-valid, create-index-not-concurrently, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS sessions11_owner_id_idx633 ON app.sessions11 (lower(owner_id));

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE events39 ADD CONSTRAINT events39_kind_fk FOREIGN KEY (kind) REFERENCES parents (id);

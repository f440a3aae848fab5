-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE devices14 SET email = 0; CREATE INDEX x ON devices14 (email)');

-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE products29 SET owner_id = 0; CREATE INDEX x ON products29 (owner_id)');

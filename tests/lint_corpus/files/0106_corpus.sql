-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE reviews25 SET label = 0; CREATE INDEX x ON reviews25 (label)');

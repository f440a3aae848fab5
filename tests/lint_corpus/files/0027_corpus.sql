-- expect: truncate
SET LOCAL lock_timeout = '5s';

-- step: TRUNCATE {t};
TRUNCATE devices56;

-- expect: vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: VACUUM FULL {t};
VACUUM FULL orders77;

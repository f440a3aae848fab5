-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: DELETE FROM {t} WHERE created_at < now()
DELETE FROM carts19 WHERE created_at < now() - interval '90 days';

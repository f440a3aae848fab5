-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: DELETE FROM {t} WHERE created_at < now()
DELETE FROM users68 WHERE created_at < now() - interval '90 days';

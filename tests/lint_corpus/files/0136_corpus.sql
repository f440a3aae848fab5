-- expect: delete-without-where
SET LOCAL lock_timeout = '5s';

-- step: DELETE FROM {t};
DELETE FROM messages38;

-- step: DELETE FROM {t} WHERE created_at < now()
DELETE FROM users55 WHERE created_at < now() - interval '90 days';

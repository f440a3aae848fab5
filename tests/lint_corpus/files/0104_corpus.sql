-- expect: drop-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS sessions73_kind_idx808;

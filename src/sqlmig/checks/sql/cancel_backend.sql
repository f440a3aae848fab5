-- The watchdog's first step: the same cancel statement_timeout sends (a
-- PL/pgSQL handler can trap it).
SELECT pg_cancel_backend(%(pid)s)

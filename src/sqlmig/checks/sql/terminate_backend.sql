-- The watchdog's last step: the backend exits (FATAL, which no handler traps).
SELECT pg_terminate_backend(%(pid)s)

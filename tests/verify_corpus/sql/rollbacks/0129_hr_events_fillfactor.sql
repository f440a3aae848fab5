-- Default storage parameters.
ALTER TABLE hr.employees RESET (fillfactor, autovacuum_vacuum_scale_factor);

-- Default storage parameters.
ALTER TABLE blog.authors RESET (fillfactor, autovacuum_vacuum_scale_factor);

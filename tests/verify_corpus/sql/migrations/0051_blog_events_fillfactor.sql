-- Leave room for HOT updates.
ALTER TABLE blog.authors SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.05);

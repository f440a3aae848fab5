-- Leave room for HOT updates.
ALTER TABLE hr.employees SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.05);

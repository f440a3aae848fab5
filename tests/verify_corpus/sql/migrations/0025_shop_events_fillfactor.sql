-- Leave room for HOT updates.
ALTER TABLE shop.customers SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.05);

-- Default storage parameters.
ALTER TABLE shop.customers RESET (fillfactor, autovacuum_vacuum_scale_factor);

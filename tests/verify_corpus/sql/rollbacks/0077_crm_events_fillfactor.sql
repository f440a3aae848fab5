-- Default storage parameters.
ALTER TABLE crm.accounts RESET (fillfactor, autovacuum_vacuum_scale_factor);

-- Default storage parameters.
ALTER TABLE iot.devices RESET (fillfactor, autovacuum_vacuum_scale_factor);

-- sqlmig: no-transaction
-- Drop it without blocking writes.
DROP INDEX CONCURRENTLY iot.readings_device_idx;

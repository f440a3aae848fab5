-- sqlmig: no-transaction
-- Build the index without blocking writes.
CREATE INDEX CONCURRENTLY readings_device_idx ON iot.readings (device_id, created_at DESC);

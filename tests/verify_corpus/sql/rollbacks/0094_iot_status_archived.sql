-- Enum values cannot be dropped: recreate the type without it.
ALTER TABLE iot.readings ALTER COLUMN status DROP DEFAULT;
ALTER TYPE iot.reading_status RENAME TO reading_status_old;
CREATE TYPE iot.reading_status AS ENUM ('draft', 'active', 'closed');
DROP VIEW iot.active_readings;
ALTER TABLE iot.readings ALTER COLUMN status TYPE iot.reading_status
    USING (CASE WHEN status::text = 'archived' THEN 'closed' ELSE status::text END)::iot.reading_status;
ALTER TABLE iot.readings ALTER COLUMN status SET DEFAULT 'draft';
CREATE VIEW iot.active_readings AS
SELECT x.id, x.amount, c.name AS device_name
  FROM iot.readings x JOIN iot.devices c ON c.id = x.device_id
 WHERE x.status = 'active';
DROP TYPE iot.reading_status_old;

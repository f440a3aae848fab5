-- Active readings with their device.
CREATE VIEW iot.active_readings AS
SELECT x.id, x.amount, c.name AS device_name
  FROM iot.readings x JOIN iot.devices c ON c.id = x.device_id
 WHERE x.status = 'active';

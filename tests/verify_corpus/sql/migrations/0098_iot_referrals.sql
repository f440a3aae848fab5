-- Who referred whom.
ALTER TABLE iot.devices ADD COLUMN referred_by bigint;
ALTER TABLE iot.devices ADD CONSTRAINT devices_referred_by_fk FOREIGN KEY (referred_by)
    REFERENCES iot.devices (id) ON DELETE SET NULL;
CREATE INDEX devices_referred_by_idx ON iot.devices (referred_by) WHERE referred_by IS NOT NULL;

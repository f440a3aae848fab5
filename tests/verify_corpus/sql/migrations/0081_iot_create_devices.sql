-- The main entity.
CREATE TABLE iot.devices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX devices_email_key ON iot.devices (lower(email));
COMMENT ON TABLE iot.devices IS 'People and organisations of iot.';

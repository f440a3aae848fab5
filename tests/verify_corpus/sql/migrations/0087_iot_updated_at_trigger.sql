-- Keep updated_at current.
ALTER TABLE iot.readings ADD COLUMN updated_at timestamptz;
CREATE FUNCTION iot.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER readings_touch BEFORE UPDATE ON iot.readings
    FOR EACH ROW EXECUTE FUNCTION iot.touch();

-- Keep updated_at current.
ALTER TABLE hr.leaves ADD COLUMN updated_at timestamptz;
CREATE FUNCTION hr.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER leaves_touch BEFORE UPDATE ON hr.leaves
    FOR EACH ROW EXECUTE FUNCTION hr.touch();

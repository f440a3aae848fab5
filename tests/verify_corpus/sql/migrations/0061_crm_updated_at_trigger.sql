-- Keep updated_at current.
ALTER TABLE crm.deals ADD COLUMN updated_at timestamptz;
CREATE FUNCTION crm.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER deals_touch BEFORE UPDATE ON crm.deals
    FOR EACH ROW EXECUTE FUNCTION crm.touch();

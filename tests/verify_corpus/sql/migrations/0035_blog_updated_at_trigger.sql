-- Keep updated_at current.
ALTER TABLE blog.posts ADD COLUMN updated_at timestamptz;
CREATE FUNCTION blog.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER posts_touch BEFORE UPDATE ON blog.posts
    FOR EACH ROW EXECUTE FUNCTION blog.touch();

-- The main entity.
CREATE TABLE blog.authors (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX authors_email_key ON blog.authors (lower(email));
COMMENT ON TABLE blog.authors IS 'People and organisations of blog.';

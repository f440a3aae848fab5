-- The main entity.
CREATE TABLE hr.employees (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX employees_email_key ON hr.employees (lower(email));
COMMENT ON TABLE hr.employees IS 'People and organisations of hr.';

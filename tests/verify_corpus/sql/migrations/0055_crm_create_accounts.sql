-- The main entity.
CREATE TABLE crm.accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_email_key ON crm.accounts (lower(email));
COMMENT ON TABLE crm.accounts IS 'People and organisations of crm.';

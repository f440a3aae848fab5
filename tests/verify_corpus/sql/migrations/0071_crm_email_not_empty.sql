-- Added NOT VALID (no long lock), then validated.
ALTER TABLE crm.accounts ADD CONSTRAINT accounts_email_not_empty CHECK (email <> '') NOT VALID;
ALTER TABLE crm.accounts VALIDATE CONSTRAINT accounts_email_not_empty;

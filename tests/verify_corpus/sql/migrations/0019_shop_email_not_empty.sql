-- Added NOT VALID (no long lock), then validated.
ALTER TABLE shop.customers ADD CONSTRAINT customers_email_not_empty CHECK (email <> '') NOT VALID;
ALTER TABLE shop.customers VALIDATE CONSTRAINT customers_email_not_empty;

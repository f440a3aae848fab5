-- Added NOT VALID (no long lock), then validated.
ALTER TABLE blog.authors ADD CONSTRAINT authors_email_not_empty CHECK (email <> '') NOT VALID;
ALTER TABLE blog.authors VALIDATE CONSTRAINT authors_email_not_empty;

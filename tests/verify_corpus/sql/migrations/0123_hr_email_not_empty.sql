-- Added NOT VALID (no long lock), then validated.
ALTER TABLE hr.employees ADD CONSTRAINT employees_email_not_empty CHECK (email <> '') NOT VALID;
ALTER TABLE hr.employees VALIDATE CONSTRAINT employees_email_not_empty;

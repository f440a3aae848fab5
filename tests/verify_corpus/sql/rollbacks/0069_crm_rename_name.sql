-- Rename back.
ALTER TABLE crm.accounts RENAME COLUMN display_name TO name;

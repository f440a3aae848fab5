-- Rename back.
ALTER TABLE shop.customers RENAME COLUMN display_name TO name;

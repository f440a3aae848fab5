-- Rename back.
ALTER TABLE hr.employees RENAME COLUMN display_name TO name;

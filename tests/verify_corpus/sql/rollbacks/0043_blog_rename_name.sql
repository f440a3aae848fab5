-- Rename back.
ALTER TABLE blog.authors RENAME COLUMN display_name TO name;

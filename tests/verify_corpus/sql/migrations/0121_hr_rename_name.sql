-- name -> display_name (the view keeps its output name).
ALTER TABLE hr.employees RENAME COLUMN name TO display_name;

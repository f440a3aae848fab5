-- name -> display_name (the view keeps its output name).
ALTER TABLE crm.accounts RENAME COLUMN name TO display_name;

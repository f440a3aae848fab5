-- name -> display_name (the view keeps its output name).
ALTER TABLE shop.customers RENAME COLUMN name TO display_name;

-- name -> display_name (the view keeps its output name).
ALTER TABLE blog.authors RENAME COLUMN name TO display_name;

-- name -> display_name (the view keeps its output name).
ALTER TABLE iot.devices RENAME COLUMN name TO display_name;

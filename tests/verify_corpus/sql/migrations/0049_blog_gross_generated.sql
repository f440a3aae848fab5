-- Gross amount, computed by the server.
ALTER TABLE blog.posts ADD COLUMN gross numeric(14,2) GENERATED ALWAYS AS (amount * 1.19) STORED;

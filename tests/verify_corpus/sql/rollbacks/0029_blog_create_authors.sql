-- Drop the table (its index and identity sequence go with it).
DROP TABLE blog.authors;

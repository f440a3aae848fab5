-- Drop the function.
DROP FUNCTION blog.author_total(bigint);

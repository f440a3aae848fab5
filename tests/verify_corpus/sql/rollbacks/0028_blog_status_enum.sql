-- Drop the enum.
DROP TYPE blog.post_status;

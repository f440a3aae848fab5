-- Drop the view.
DROP VIEW blog.active_posts;

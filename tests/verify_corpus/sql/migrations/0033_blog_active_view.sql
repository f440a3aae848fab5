-- Active posts with their author.
CREATE VIEW blog.active_posts AS
SELECT x.id, x.amount, c.name AS author_name
  FROM blog.posts x JOIN blog.authors c ON c.id = x.author_id
 WHERE x.status = 'active';

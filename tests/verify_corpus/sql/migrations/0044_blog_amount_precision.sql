-- Larger amounts (the views depending on the column are rebuilt).
DROP VIEW blog.active_posts;
DROP MATERIALIZED VIEW blog.daily_totals;
ALTER TABLE blog.posts ALTER COLUMN amount TYPE numeric(14,2);
CREATE VIEW blog.active_posts AS
SELECT x.id, x.amount, c.display_name AS author_name
  FROM blog.posts x JOIN blog.authors c ON c.id = x.author_id
 WHERE x.status = 'active';
CREATE MATERIALIZED VIEW blog.daily_totals AS
SELECT date_trunc('day', created_at) AS day, count(*) AS n, sum(amount) AS total
  FROM blog.posts GROUP BY 1
WITH NO DATA;
CREATE UNIQUE INDEX daily_totals_day_key ON blog.daily_totals (day);

-- sqlmig: description Difficulty values use the canonical spelling Beginner, Intermediate or Advanced
-- sqlmig: tags quality, core
-- sqlmig: timeout 30s
-- The CHECK constraints accept any case and surrounding spaces, so rows like
-- 'beginner' or 'Advanced ' can exist; they break exact-match filters in the
-- application. WARN with the count per table, examples and the UPDATE to fix.
WITH bad AS (
    SELECT 'exams' AS tbl, id, difficulty FROM exams
     WHERE difficulty NOT IN ('Beginner', 'Intermediate', 'Advanced')
    UNION ALL
    SELECT 'questions', id, difficulty FROM questions
     WHERE difficulty NOT IN ('Beginner', 'Intermediate', 'Advanced')
)
SELECT 'WARN' AS status,
       tbl || '.difficulty standardized' AS name,
       format('%s records need attention in %s (e.g. %s); fix: UPDATE %s SET difficulty = initcap(btrim(difficulty)) WHERE difficulty NOT IN (''Beginner'', ''Intermediate'', ''Advanced'')',
              count(*), tbl,
              string_agg(format('id %s %L', id, difficulty), ', ' ORDER BY id) FILTER (WHERE rn <= 5),
              tbl) AS detail,
       count(*) AS affected_rows,
       (array_agg(id ORDER BY id))[1:5] AS example_ids
  FROM (SELECT b.*, row_number() OVER (PARTITION BY tbl ORDER BY id) AS rn FROM bad b) b
 GROUP BY tbl;

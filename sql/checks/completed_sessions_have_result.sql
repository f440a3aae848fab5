-- sqlmig: description Completed exam attempts have a completion time and a score
-- sqlmig: tags consistency, core
-- sqlmig: timeout 30s
-- Normally guaranteed by user_sessions_completed_has_result (0006); this is
-- the defence if the constraint is dropped or NOT VALID. Uses the partial
-- index user_sessions_exam_completed_idx when present.
SELECT 'FAIL' AS status,
       'completed user_sessions have completed_at and score' AS name,
       format('%s completed exam attempts lack a completion time or a score (ids %s); %s without completed_at, %s without score',
              count(*), array_to_string((array_agg(id ORDER BY id))[1:5], ', '),
              count(*) FILTER (WHERE completed_at IS NULL), count(*) FILTER (WHERE score IS NULL)) AS detail,
       count(*) AS affected_rows,
       (array_agg(id ORDER BY id))[1:5] AS example_ids
  FROM user_sessions
 WHERE status = 'completed' AND (completed_at IS NULL OR score IS NULL)
HAVING count(*) > 0;

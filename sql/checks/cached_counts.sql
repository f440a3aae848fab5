-- sqlmig: description Cached counters (exams.question_count, subjects.exam_count, subjects.question_count) equal the real counts
-- sqlmig: tags consistency, core, triggers
-- sqlmig: timeout 60s
-- One aggregation pass over questions and exams; a FAIL row per counter with
-- the number of wrong rows, examples (id: cached vs real) and a fix.
WITH real_exam AS (
    SELECT e.id, e.subject_id, e.question_count AS cached, coalesce(q.n, 0) AS actual
      FROM exams e
      LEFT JOIN (SELECT exam_id, count(*) AS n FROM questions GROUP BY exam_id) q ON q.exam_id = e.id
), real_subject AS (
    SELECT s.id, s.exam_count, s.question_count,
           coalesce(x.exams, 0) AS actual_exams, coalesce(x.questions, 0) AS actual_questions
      FROM subjects s
      LEFT JOIN (SELECT subject_id, count(*) AS exams, sum(actual) AS questions
                   FROM real_exam GROUP BY subject_id) x ON x.subject_id = s.id
), wrong AS (
    SELECT 'exams.question_count' AS name, id, cached::bigint AS cached, actual::bigint AS actual,
           'UPDATE exams e SET question_count = (SELECT count(*) FROM questions q WHERE q.exam_id = e.id)' AS fix
      FROM real_exam WHERE cached <> actual
    UNION ALL
    SELECT 'subjects.exam_count', id, exam_count, actual_exams,
           'UPDATE subjects s SET exam_count = (SELECT count(*) FROM exams e WHERE e.subject_id = s.id)'
      FROM real_subject WHERE exam_count <> actual_exams
    UNION ALL
    SELECT 'subjects.question_count', id, question_count, actual_questions,
           'UPDATE subjects s SET question_count = (SELECT count(*) FROM questions q JOIN exams e ON e.id = q.exam_id WHERE e.subject_id = s.id)'
      FROM real_subject WHERE question_count <> actual_questions
)
SELECT 'FAIL' AS status, name,
       format('%s rows have a stale %s (id: cached vs real: %s); fix: %s',
              count(*), name,
              string_agg(format('%s: %s vs %s', id, cached, actual), ', ' ORDER BY id) FILTER (WHERE rn <= 5),
              min(fix)) AS detail,
       count(*) AS affected_rows,
       (array_agg(id ORDER BY id))[1:5] AS example_ids
  FROM (SELECT w.*, row_number() OVER (PARTITION BY name ORDER BY id) AS rn FROM wrong w) w
 GROUP BY name;

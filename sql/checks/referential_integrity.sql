-- sqlmig: description Every question's exam and every exam's subject exist (defence in depth: foreign keys can be dropped or left NOT VALID)
-- sqlmig: tags integrity, core
-- sqlmig: timeout 30s
-- Anti-joins on primary keys; one FAIL row per broken relationship with the
-- number of rows and up to 5 example ids.
WITH questions_without_exam AS (
    SELECT q.id FROM questions q
     WHERE NOT EXISTS (SELECT 1 FROM exams e WHERE e.id = q.exam_id)
), exams_without_subject AS (
    SELECT e.id FROM exams e
     WHERE NOT EXISTS (SELECT 1 FROM subjects s WHERE s.id = e.subject_id)
), problems AS (
    SELECT 'questions.exam_id references exams' AS name, 'questions reference missing exams' AS what,
           count(*) AS n, (array_agg(id ORDER BY id))[1:5] AS example_ids
      FROM questions_without_exam
    UNION ALL
    SELECT 'exams.subject_id references subjects', 'exams reference missing subjects',
           count(*), (array_agg(id ORDER BY id))[1:5]
      FROM exams_without_subject
)
SELECT 'FAIL' AS status, name,
       format('%s %s (ids %s)', n, what, array_to_string(example_ids, ', ')) AS detail,
       n AS affected_rows, example_ids
  FROM problems
 WHERE n > 0;

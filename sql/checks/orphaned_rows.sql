-- sqlmig: description No orphaned exam attempts, answers or comments (their user, exam, attempt, question or parent comment exists)
-- sqlmig: tags integrity, core, analytics
-- sqlmig: timeout 60s
-- Anti-joins on primary keys; one FAIL row per kind of orphan with the
-- number of rows and up to 5 example ids.
WITH problems AS (
    SELECT 'user_sessions.user_id references users' AS name, 'exam attempts reference missing users' AS what,
           count(*) AS n, (array_agg(s.id ORDER BY s.id))[1:5] AS example_ids
      FROM user_sessions s WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id)
    UNION ALL
    SELECT 'user_sessions.exam_id references exams', 'exam attempts reference missing exams',
           count(*), (array_agg(s.id ORDER BY s.id))[1:5]
      FROM user_sessions s WHERE NOT EXISTS (SELECT 1 FROM exams e WHERE e.id = s.exam_id)
    UNION ALL
    SELECT 'detailed_answers.session_id references user_sessions', 'answers reference missing exam attempts',
           count(*), (array_agg(a.id ORDER BY a.id))[1:5]
      FROM detailed_answers a WHERE NOT EXISTS (SELECT 1 FROM user_sessions s WHERE s.id = a.session_id)
    UNION ALL
    SELECT 'detailed_answers.question_id references questions', 'answers reference missing questions',
           count(*), (array_agg(a.id ORDER BY a.id))[1:5]
      FROM detailed_answers a WHERE NOT EXISTS (SELECT 1 FROM questions q WHERE q.id = a.question_id)
    UNION ALL
    SELECT 'comments.question_id references questions', 'comments reference missing questions',
           count(*), (array_agg(c.id ORDER BY c.id))[1:5]
      FROM comments c WHERE NOT EXISTS (SELECT 1 FROM questions q WHERE q.id = c.question_id)
    UNION ALL
    SELECT 'comments.parent_id references comments', 'replies reference missing parent comments',
           count(*), (array_agg(c.id ORDER BY c.id))[1:5]
      FROM comments c
     WHERE c.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM comments p WHERE p.id = c.parent_id)
)
SELECT 'FAIL' AS status, name,
       format('%s %s (ids %s)', n, what, array_to_string(example_ids, ', ')) AS detail,
       n AS affected_rows, example_ids
  FROM problems
 WHERE n > 0;

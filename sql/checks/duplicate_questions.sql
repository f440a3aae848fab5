-- sqlmig: description No duplicate questions within an exam (same text ignoring case and whitespace)
-- sqlmig: tags quality, core
-- sqlmig: timeout 60s
-- Groups questions by exam and normalized text; WARN because deciding which
-- copy to keep is an editorial decision (answers may reference both).
WITH dup AS (
    SELECT exam_id, array_agg(id ORDER BY id) AS ids
      FROM questions
     GROUP BY exam_id, md5(lower(regexp_replace(btrim(question_text), '\s+', ' ', 'g')))
    HAVING count(*) > 1
)
SELECT 'WARN' AS status,
       'questions unique within exam' AS name,
       format('%s groups of duplicate questions (%s extra copies), e.g. %s; keep the lowest id and delete or reword the others',
              count(*), sum(cardinality(ids) - 1),
              string_agg(format('exam %s: questions %s', exam_id, array_to_string(ids, ', ')), '; ' ORDER BY exam_id)
                  FILTER (WHERE rn <= 3)) AS detail,
       sum(cardinality(ids) - 1) AS affected_rows,
       (array_agg(ids[2] ORDER BY exam_id))[1:5] AS example_ids
  FROM (SELECT d.*, row_number() OVER (ORDER BY exam_id) AS rn FROM dup d) d
HAVING count(*) > 0;

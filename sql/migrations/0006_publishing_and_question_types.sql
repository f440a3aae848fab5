-- 0006_publishing_and_question_types: a later change to tables that already
-- hold production data, written with the online-safe patterns:
--   * exams.is_published: added NOT NULL with DEFAULT true, which is a
--     catalog-only change (no table rewrite) and marks every existing exam
--     as published; the default is then switched to false so new exams
--     start as drafts.
--   * questions.question_type: added with a constant default (no rewrite),
--     then backfilled: questions with several correct answers become
--     multiple_choice. Its CHECK constraints are added NOT VALID (only a
--     brief lock) and then VALIDATEd (scans without blocking writes).
--   * user_sessions: a completed attempt must have completed_at and score;
--     added NOT VALID then validated for the same reason.
-- lock_timeout makes the migration fail fast instead of queueing behind a
-- long transaction and blocking everybody else.

SET LOCAL lock_timeout = '5s';

ALTER TABLE exams ADD COLUMN IF NOT EXISTS is_published boolean NOT NULL DEFAULT true;
ALTER TABLE exams ALTER COLUMN is_published SET DEFAULT false;
COMMENT ON COLUMN exams.is_published IS 'True when learners can see and take the exam; new exams start as unpublished drafts.';

ALTER TABLE questions ADD COLUMN IF NOT EXISTS question_type text NOT NULL DEFAULT 'single_choice';
COMMENT ON COLUMN questions.question_type IS 'single_choice (exactly one correct option) or multiple_choice (several correct options).';

UPDATE questions
   SET question_type = 'multiple_choice'
 WHERE cardinality(correct_answers) > 1
   AND question_type <> 'multiple_choice';

ALTER TABLE questions
    ADD CONSTRAINT questions_question_type_check
    CHECK (question_type IN ('single_choice', 'multiple_choice')) NOT VALID;
ALTER TABLE questions VALIDATE CONSTRAINT questions_question_type_check;

ALTER TABLE questions
    ADD CONSTRAINT questions_single_choice_one_answer
    CHECK (question_type <> 'single_choice' OR cardinality(correct_answers) = 1) NOT VALID;
ALTER TABLE questions VALIDATE CONSTRAINT questions_single_choice_one_answer;

ALTER TABLE user_sessions
    ADD CONSTRAINT user_sessions_completed_has_result
    CHECK (status <> 'completed' OR (completed_at IS NOT NULL AND score IS NOT NULL)) NOT VALID;
ALTER TABLE user_sessions VALIDATE CONSTRAINT user_sessions_completed_has_result;

-- 0006_publishing_and_question_types (rollback): drops the constraints and
-- columns added by 0006. The dropped columns only held values derivable from
-- other data (publication defaults to true, question_type from
-- correct_answers), so no backup is kept.

SET LOCAL lock_timeout = '5s';

ALTER TABLE user_sessions DROP CONSTRAINT IF EXISTS user_sessions_completed_has_result;
ALTER TABLE questions DROP CONSTRAINT IF EXISTS questions_single_choice_one_answer;
ALTER TABLE questions DROP CONSTRAINT IF EXISTS questions_question_type_check;
ALTER TABLE questions DROP COLUMN IF EXISTS question_type;
ALTER TABLE exams DROP COLUMN IF EXISTS is_published;

-- 0002_analytics_schema: learning analytics on top of the core schema.
--
-- Adds per-user learning profiles, one row per answered question
-- (detailed_answers), a summary per completed attempt (exam_analytics),
-- weekly performance per user and subject (performance_trends, range
-- partitioned by week_start with a DEFAULT partition; monthly partitions are
-- added by 0004) and generated study recommendations.
-- Only new tables: no lock on existing tables beyond the FK share locks.

CREATE TABLE IF NOT EXISTS user_profiles (
    user_id                  bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    learning_goal            text,
    preferred_difficulty     text,
    weekly_goal_minutes      integer NOT NULL DEFAULT 120,
    total_sessions           integer NOT NULL DEFAULT 0,
    completed_sessions       integer NOT NULL DEFAULT 0,
    total_questions_answered integer NOT NULL DEFAULT 0,
    total_correct_answers    integer NOT NULL DEFAULT 0,
    average_score            numeric(5,2),
    current_streak_days      integer NOT NULL DEFAULT 0,
    last_activity_at         timestamptz,
    updated_at               timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT user_profiles_goal_check CHECK (learning_goal IN ('certification', 'coursework', 'career_change', 'personal_interest')),
    CONSTRAINT user_profiles_difficulty_check CHECK (preferred_difficulty IN ('Beginner', 'Intermediate', 'Advanced')),
    CONSTRAINT user_profiles_weekly_goal_check CHECK (weekly_goal_minutes BETWEEN 0 AND 10080),
    CONSTRAINT user_profiles_totals_check CHECK (
        completed_sessions BETWEEN 0 AND total_sessions
        AND total_correct_answers BETWEEN 0 AND total_questions_answered
        AND current_streak_days >= 0),
    CONSTRAINT user_profiles_average_score_check CHECK (average_score BETWEEN 0 AND 100)
);

COMMENT ON TABLE user_profiles IS 'Learning profile and aggregate performance of each user (one row per user, refreshed by the analytics job). @group analytics';
COMMENT ON COLUMN user_profiles.user_id IS 'The user; also the primary key. Deleted with the user.';
COMMENT ON COLUMN user_profiles.learning_goal IS 'Why the user studies: certification, coursework, career_change or personal_interest.';
COMMENT ON COLUMN user_profiles.preferred_difficulty IS 'Difficulty the user prefers when exams are suggested (canonical spelling).';
COMMENT ON COLUMN user_profiles.weekly_goal_minutes IS 'Study time the user aims for per week, in minutes.';
COMMENT ON COLUMN user_profiles.total_sessions IS 'Number of exam attempts started.';
COMMENT ON COLUMN user_profiles.completed_sessions IS 'Number of exam attempts completed.';
COMMENT ON COLUMN user_profiles.total_questions_answered IS 'Number of questions answered over all attempts.';
COMMENT ON COLUMN user_profiles.total_correct_answers IS 'Number of correct answers over all attempts.';
COMMENT ON COLUMN user_profiles.average_score IS 'Average score of completed attempts in percent; NULL before the first completed attempt.';
COMMENT ON COLUMN user_profiles.current_streak_days IS 'Consecutive days with at least one answered question, ending at the last activity.';
COMMENT ON COLUMN user_profiles.last_activity_at IS 'Time of the most recent answer or attempt.';
COMMENT ON COLUMN user_profiles.updated_at IS 'When the aggregates were last refreshed.';

CREATE TABLE IF NOT EXISTS detailed_answers (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id       bigint NOT NULL REFERENCES user_sessions (id) ON DELETE CASCADE,
    question_id      bigint NOT NULL REFERENCES questions (id) ON DELETE RESTRICT,
    selected_answers smallint[] NOT NULL,
    is_correct       boolean NOT NULL,
    time_taken_ms    integer NOT NULL,
    confidence       smallint,
    answered_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT detailed_answers_session_question_key UNIQUE (session_id, question_id),
    CONSTRAINT detailed_answers_time_taken_check CHECK (time_taken_ms BETWEEN 0 AND 10800000),
    CONSTRAINT detailed_answers_confidence_check CHECK (confidence BETWEEN 1 AND 5),
    CONSTRAINT detailed_answers_selected_valid CHECK (array_position(selected_answers, NULL) IS NULL AND 0 <= ALL (selected_answers))
);
-- The unique key (session_id, question_id) serves the session_id foreign key.
CREATE INDEX IF NOT EXISTS detailed_answers_question_id_idx ON detailed_answers (question_id);

COMMENT ON TABLE detailed_answers IS 'One row per question answered in an exam attempt: what was chosen, whether it was right, how long it took and how confident the user was. @group analytics';
COMMENT ON COLUMN detailed_answers.id IS 'Surrogate primary key.';
COMMENT ON COLUMN detailed_answers.session_id IS 'Exam attempt the answer belongs to; deleted with the attempt.';
COMMENT ON COLUMN detailed_answers.question_id IS 'Question answered; answered questions cannot be deleted (RESTRICT), retire them instead.';
COMMENT ON COLUMN detailed_answers.selected_answers IS 'Zero-based option positions the user chose; empty when the question was skipped.';
COMMENT ON COLUMN detailed_answers.is_correct IS 'True when selected_answers equals the question''s correct_answers.';
COMMENT ON COLUMN detailed_answers.time_taken_ms IS 'Time spent on the question in milliseconds (at most 3 hours).';
COMMENT ON COLUMN detailed_answers.confidence IS 'Self-reported confidence from 1 (guess) to 5 (certain); NULL if not given.';
COMMENT ON COLUMN detailed_answers.answered_at IS 'When the answer was submitted.';

CREATE TABLE IF NOT EXISTS exam_analytics (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id         bigint NOT NULL REFERENCES user_sessions (id) ON DELETE CASCADE,
    user_id            bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    exam_id            bigint NOT NULL REFERENCES exams (id) ON DELETE RESTRICT,
    score              numeric(5,2) NOT NULL,
    correct_count      integer NOT NULL,
    question_count     integer NOT NULL,
    time_spent_seconds integer NOT NULL,
    passed             boolean NOT NULL,
    domain_breakdown   jsonb NOT NULL DEFAULT '{}'::jsonb,
    completed_at       timestamptz NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT exam_analytics_session_key UNIQUE (session_id),
    CONSTRAINT exam_analytics_score_check CHECK (score BETWEEN 0 AND 100),
    CONSTRAINT exam_analytics_counts_check CHECK (question_count > 0 AND correct_count BETWEEN 0 AND question_count),
    CONSTRAINT exam_analytics_time_check CHECK (time_spent_seconds >= 0),
    CONSTRAINT exam_analytics_breakdown_is_object CHECK (jsonb_typeof(domain_breakdown) = 'object')
);
CREATE INDEX IF NOT EXISTS exam_analytics_user_id_idx ON exam_analytics (user_id, completed_at);
CREATE INDEX IF NOT EXISTS exam_analytics_exam_id_idx ON exam_analytics (exam_id);

COMMENT ON TABLE exam_analytics IS 'Result summary of each completed exam attempt, including a per-domain breakdown. @group analytics';
COMMENT ON COLUMN exam_analytics.id IS 'Surrogate primary key.';
COMMENT ON COLUMN exam_analytics.session_id IS 'The completed attempt summarised (one summary per attempt).';
COMMENT ON COLUMN exam_analytics.user_id IS 'User who took the attempt (copied from the attempt for fast per-user reports).';
COMMENT ON COLUMN exam_analytics.exam_id IS 'Exam attempted (copied from the attempt for fast per-exam reports).';
COMMENT ON COLUMN exam_analytics.score IS 'Score in percent (0-100).';
COMMENT ON COLUMN exam_analytics.correct_count IS 'Number of correct answers.';
COMMENT ON COLUMN exam_analytics.question_count IS 'Number of questions in the attempt.';
COMMENT ON COLUMN exam_analytics.time_spent_seconds IS 'Total time spent answering, in seconds.';
COMMENT ON COLUMN exam_analytics.passed IS 'True when score reached the exam''s passing_score.';
COMMENT ON COLUMN exam_analytics.domain_breakdown IS 'JSON object keyed by question domain: {"Security": {"answered": 4, "correct": 3}, ...}.';
COMMENT ON COLUMN exam_analytics.completed_at IS 'When the attempt was completed.';
COMMENT ON COLUMN exam_analytics.created_at IS 'When this summary row was written.';

CREATE TABLE IF NOT EXISTS performance_trends (
    user_id            bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject_id         bigint NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
    week_start         date NOT NULL,
    sessions_completed integer NOT NULL DEFAULT 0,
    questions_answered integer NOT NULL DEFAULT 0,
    correct_answers    integer NOT NULL DEFAULT 0,
    average_score      numeric(5,2),
    time_spent_seconds integer NOT NULL DEFAULT 0,
    CONSTRAINT performance_trends_pkey PRIMARY KEY (user_id, subject_id, week_start),
    CONSTRAINT performance_trends_week_start_monday CHECK (extract(isodow FROM week_start) = 1),
    CONSTRAINT performance_trends_counts_check CHECK (
        sessions_completed >= 0 AND correct_answers BETWEEN 0 AND questions_answered AND time_spent_seconds >= 0),
    CONSTRAINT performance_trends_average_score_check CHECK (average_score BETWEEN 0 AND 100)
) PARTITION BY RANGE (week_start);
-- The primary key (user_id, ...) serves the user_id foreign key.
CREATE INDEX IF NOT EXISTS performance_trends_subject_id_idx ON performance_trends (subject_id, week_start);
CREATE TABLE IF NOT EXISTS performance_trends_default PARTITION OF performance_trends DEFAULT;

COMMENT ON TABLE performance_trends IS 'Weekly performance of each user in each subject; range-partitioned by week_start (monthly partitions plus a DEFAULT partition). @group analytics';
COMMENT ON COLUMN performance_trends.user_id IS 'User whose week is summarised.';
COMMENT ON COLUMN performance_trends.subject_id IS 'Subject the week is summarised for.';
COMMENT ON COLUMN performance_trends.week_start IS 'Monday of the ISO week (partition key).';
COMMENT ON COLUMN performance_trends.sessions_completed IS 'Attempts completed that week in this subject.';
COMMENT ON COLUMN performance_trends.questions_answered IS 'Questions answered that week in this subject.';
COMMENT ON COLUMN performance_trends.correct_answers IS 'Correct answers that week in this subject.';
COMMENT ON COLUMN performance_trends.average_score IS 'Average score of the week''s completed attempts in percent; NULL if none.';
COMMENT ON COLUMN performance_trends.time_spent_seconds IS 'Time spent answering that week, in seconds.';

CREATE TABLE IF NOT EXISTS study_recommendations (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id             bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject_id          bigint REFERENCES subjects (id) ON DELETE CASCADE,
    exam_id             bigint REFERENCES exams (id) ON DELETE CASCADE,
    recommendation_type text NOT NULL,
    reason              text NOT NULL,
    priority            smallint NOT NULL DEFAULT 3,
    created_at          timestamptz NOT NULL DEFAULT now(),
    expires_at          timestamptz NOT NULL,
    dismissed_at        timestamptz,
    CONSTRAINT study_recommendations_type_check CHECK (recommendation_type IN ('take_exam', 'review_domain', 'practice_weak_area', 'increase_difficulty')),
    CONSTRAINT study_recommendations_reason_not_blank CHECK (btrim(reason) <> ''),
    CONSTRAINT study_recommendations_priority_check CHECK (priority BETWEEN 1 AND 5),
    CONSTRAINT study_recommendations_expiry_check CHECK (expires_at > created_at),
    CONSTRAINT study_recommendations_target_check CHECK (subject_id IS NOT NULL OR exam_id IS NOT NULL)
);
CREATE INDEX IF NOT EXISTS study_recommendations_user_id_idx ON study_recommendations (user_id, priority) WHERE dismissed_at IS NULL;
CREATE INDEX IF NOT EXISTS study_recommendations_user_all_idx ON study_recommendations (user_id);
CREATE INDEX IF NOT EXISTS study_recommendations_subject_id_idx ON study_recommendations (subject_id);
CREATE INDEX IF NOT EXISTS study_recommendations_exam_id_idx ON study_recommendations (exam_id);
CREATE INDEX IF NOT EXISTS study_recommendations_expires_at_idx ON study_recommendations (expires_at);

COMMENT ON TABLE study_recommendations IS 'Generated study suggestions per user (what to practise next and why), with a priority and an expiry. @group analytics';
COMMENT ON COLUMN study_recommendations.id IS 'Surrogate primary key.';
COMMENT ON COLUMN study_recommendations.user_id IS 'User the suggestion is for.';
COMMENT ON COLUMN study_recommendations.subject_id IS 'Subject suggested, if the suggestion is about a subject.';
COMMENT ON COLUMN study_recommendations.exam_id IS 'Exam suggested, if the suggestion is about a specific exam.';
COMMENT ON COLUMN study_recommendations.recommendation_type IS 'take_exam, review_domain, practice_weak_area or increase_difficulty.';
COMMENT ON COLUMN study_recommendations.reason IS 'Human-readable explanation shown to the user.';
COMMENT ON COLUMN study_recommendations.priority IS '1 (most important) to 5 (least important).';
COMMENT ON COLUMN study_recommendations.created_at IS 'When the suggestion was generated.';
COMMENT ON COLUMN study_recommendations.expires_at IS 'After this time the suggestion is no longer shown; purged by the retention policy later.';
COMMENT ON COLUMN study_recommendations.dismissed_at IS 'When the user dismissed the suggestion; NULL while it is open.';

-- The DEFAULT partition inherits the parent's column list; give it the same docs.
COMMENT ON TABLE performance_trends_default IS 'DEFAULT partition of performance_trends: rows whose week_start has no monthly partition. Should stay empty (see the default_partitions_empty check). @group analytics';
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN
        SELECT a.attname, col_description(a.attrelid, a.attnum) AS description
        FROM pg_attribute a
        WHERE a.attrelid = 'performance_trends'::regclass AND a.attnum > 0 AND NOT a.attisdropped
    LOOP
        EXECUTE format('COMMENT ON COLUMN performance_trends_default.%I IS %L', c.attname, c.description);
    END LOOP;
END
$$;

-- 0001_core_schema: the initial core of Brainliest, an exam-practice platform.
--
-- Creates the content tables (subjects -> exams -> questions), the user
-- accounts, exam attempts (user_sessions) and threaded question comments.
-- Conventions used throughout the reference database:
--   * bigint identity primary keys, timestamptz for every point in time,
--     text with CHECK constraints instead of varchar(n) or enums;
--   * every foreign key has an explicit ON DELETE rule and an index whose
--     leading column is the referencing column;
--   * every table and column carries a COMMENT (docs coverage is 100%);
--     table comments end with "@group <name>" for the docs generator.
-- Difficulty is free text checked case-insensitively on trimmed values, so a
-- non-canonical spelling ('beginner', 'ADVANCED ') is storable and the
-- difficulty_standardized check can report it instead of the insert failing.

CREATE TABLE IF NOT EXISTS subjects (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug           text NOT NULL,
    name           text NOT NULL,
    category       text NOT NULL,
    description    text NOT NULL DEFAULT '',
    exam_count     integer NOT NULL DEFAULT 0,
    question_count integer NOT NULL DEFAULT 0,
    is_active      boolean NOT NULL DEFAULT true,
    search_vector  tsvector GENERATED ALWAYS AS (
                       setweight(to_tsvector('english'::regconfig, name), 'A')
                       || setweight(to_tsvector('english'::regconfig, description), 'B')
                   ) STORED,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT subjects_slug_key UNIQUE (slug),
    CONSTRAINT subjects_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    CONSTRAINT subjects_name_not_blank CHECK (btrim(name) <> ''),
    CONSTRAINT subjects_category_check CHECK (category IN ('certification', 'academic')),
    CONSTRAINT subjects_counts_nonnegative CHECK (exam_count >= 0 AND question_count >= 0)
);
CREATE INDEX IF NOT EXISTS subjects_search_vector_idx ON subjects USING gin (search_vector);

COMMENT ON TABLE subjects IS 'Certification and academic subjects (e.g. "AWS Solutions Architect", "Organic Chemistry") that group practice exams. @group core';
COMMENT ON COLUMN subjects.id IS 'Surrogate primary key.';
COMMENT ON COLUMN subjects.slug IS 'URL-safe unique identifier, lowercase words joined by hyphens.';
COMMENT ON COLUMN subjects.name IS 'Display name shown to learners.';
COMMENT ON COLUMN subjects.category IS 'Kind of subject: certification (vendor/professional exam) or academic (school/university course).';
COMMENT ON COLUMN subjects.description IS 'Longer description of the subject; searched by full-text search.';
COMMENT ON COLUMN subjects.exam_count IS 'Cached number of exams in this subject, maintained by triggers on exams.';
COMMENT ON COLUMN subjects.question_count IS 'Cached number of questions over all exams of this subject, maintained by triggers on questions and exams.';
COMMENT ON COLUMN subjects.is_active IS 'False hides the subject from the catalogue without deleting its history.';
COMMENT ON COLUMN subjects.search_vector IS 'Generated full-text search document: name (weight A) and description (weight B), indexed with GIN.';
COMMENT ON COLUMN subjects.created_at IS 'When the subject was created.';
COMMENT ON COLUMN subjects.updated_at IS 'When the subject was last changed.';

CREATE TABLE IF NOT EXISTS exams (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_id         bigint NOT NULL REFERENCES subjects (id) ON DELETE RESTRICT,
    title              text NOT NULL,
    description        text NOT NULL DEFAULT '',
    difficulty         text NOT NULL,
    time_limit_minutes integer NOT NULL DEFAULT 60,
    passing_score      numeric(5,2) NOT NULL DEFAULT 70,
    question_count     integer NOT NULL DEFAULT 0,
    metadata           jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT exams_subject_title_key UNIQUE (subject_id, title),
    CONSTRAINT exams_title_not_blank CHECK (btrim(title) <> ''),
    CONSTRAINT exams_difficulty_check CHECK (lower(btrim(difficulty)) IN ('beginner', 'intermediate', 'advanced')),
    CONSTRAINT exams_time_limit_check CHECK (time_limit_minutes BETWEEN 1 AND 600),
    CONSTRAINT exams_passing_score_check CHECK (passing_score BETWEEN 0 AND 100),
    CONSTRAINT exams_question_count_nonnegative CHECK (question_count >= 0),
    CONSTRAINT exams_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
);
-- exams_subject_title_key (subject_id, title) also serves the subject_id foreign key.

COMMENT ON TABLE exams IS 'Practice exams: a timed set of questions within one subject. @group core';
COMMENT ON COLUMN exams.id IS 'Surrogate primary key.';
COMMENT ON COLUMN exams.subject_id IS 'Subject the exam belongs to; a subject with exams cannot be deleted (RESTRICT).';
COMMENT ON COLUMN exams.title IS 'Exam title, unique within its subject.';
COMMENT ON COLUMN exams.description IS 'What the exam covers and who it is for.';
COMMENT ON COLUMN exams.difficulty IS 'Beginner, Intermediate or Advanced. Checked case-insensitively; the canonical spelling is enforced by the difficulty_standardized check.';
COMMENT ON COLUMN exams.time_limit_minutes IS 'Time allowed for one attempt, in minutes (1-600).';
COMMENT ON COLUMN exams.passing_score IS 'Minimum score in percent (0-100) needed to pass.';
COMMENT ON COLUMN exams.question_count IS 'Cached number of questions in this exam, maintained by triggers on questions.';
COMMENT ON COLUMN exams.metadata IS 'Free-form exam metadata as a JSON object (exam code, vendor, version, tags).';
COMMENT ON COLUMN exams.created_at IS 'When the exam was created.';
COMMENT ON COLUMN exams.updated_at IS 'When the exam was last changed.';

CREATE TABLE IF NOT EXISTS questions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    exam_id         bigint NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
    question_text   text NOT NULL,
    options         jsonb NOT NULL,
    correct_answers smallint[] NOT NULL,
    explanation     text NOT NULL DEFAULT '',
    difficulty      text NOT NULL,
    domain          text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT questions_text_not_blank CHECK (btrim(question_text) <> ''),
    CONSTRAINT questions_options_array CHECK (jsonb_typeof(options) = 'array' AND jsonb_array_length(options) BETWEEN 2 AND 10),
    CONSTRAINT questions_correct_answers_valid CHECK (
        cardinality(correct_answers) >= 1
        AND array_position(correct_answers, NULL) IS NULL
        AND 0 <= ALL (correct_answers)
        AND jsonb_array_length(options) > ALL (correct_answers)),
    CONSTRAINT questions_difficulty_check CHECK (lower(btrim(difficulty)) IN ('beginner', 'intermediate', 'advanced')),
    CONSTRAINT questions_domain_not_blank CHECK (btrim(domain) <> '')
);
CREATE INDEX IF NOT EXISTS questions_exam_id_idx ON questions (exam_id);
CREATE INDEX IF NOT EXISTS questions_domain_idx ON questions (exam_id, domain);

COMMENT ON TABLE questions IS 'Multiple-choice questions of an exam, with options, correct answer(s) and an explanation. @group core';
COMMENT ON COLUMN questions.id IS 'Surrogate primary key.';
COMMENT ON COLUMN questions.exam_id IS 'Exam the question belongs to; deleting the exam deletes its questions (CASCADE).';
COMMENT ON COLUMN questions.question_text IS 'The question as shown to the learner.';
COMMENT ON COLUMN questions.options IS 'Answer options as a JSON array of strings (2-10 entries), in display order.';
COMMENT ON COLUMN questions.correct_answers IS 'Zero-based positions in options of the correct answer(s); more than one for multiple-choice questions.';
COMMENT ON COLUMN questions.explanation IS 'Why the correct answer is correct; shown after answering.';
COMMENT ON COLUMN questions.difficulty IS 'Beginner, Intermediate or Advanced, checked case-insensitively like exams.difficulty.';
COMMENT ON COLUMN questions.domain IS 'Exam domain or topic the question tests (e.g. "Security", "Networking"); used for per-domain analytics.';
COMMENT ON COLUMN questions.created_at IS 'When the question was created.';
COMMENT ON COLUMN questions.updated_at IS 'When the question was last changed.';

CREATE TABLE IF NOT EXISTS users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL,
    password_hash text NOT NULL,
    role          text NOT NULL DEFAULT 'student',
    display_name  text NOT NULL,
    bio           text,
    country_code  text,
    time_zone     text NOT NULL DEFAULT 'UTC',
    is_active     boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz,
    phone         text CONSTRAINT users_phone_format CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    CONSTRAINT users_email_format CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    CONSTRAINT users_password_hash_format CHECK (password_hash ~ '^\$(2[aby]\$[0-9]{2}\$|argon2id\$)'),
    CONSTRAINT users_role_check CHECK (role IN ('student', 'instructor', 'admin')),
    CONSTRAINT users_display_name_not_blank CHECK (btrim(display_name) <> ''),
    CONSTRAINT users_country_code_format CHECK (country_code ~ '^[A-Z]{2}$')
);
CREATE UNIQUE INDEX IF NOT EXISTS users_email_lower_key ON users (lower(email));

COMMENT ON TABLE users IS 'User accounts: learners, instructors and administrators. Email is unique case-insensitively; only password hashes are stored. @group core';
COMMENT ON COLUMN users.id IS 'Surrogate primary key.';
COMMENT ON COLUMN users.email IS 'Login email; unique ignoring case (unique index on lower(email)).';
COMMENT ON COLUMN users.password_hash IS 'bcrypt or argon2id hash of the password; a CHECK rejects anything that is not a hash, so plaintext cannot be stored.';
COMMENT ON COLUMN users.role IS 'Application role: student, instructor or admin (see access_permissions).';
COMMENT ON COLUMN users.display_name IS 'Public name shown next to comments and on leaderboards.';
COMMENT ON COLUMN users.bio IS 'Optional short profile text written by the user.';
COMMENT ON COLUMN users.country_code IS 'Optional ISO 3166-1 alpha-2 country code, uppercase.';
COMMENT ON COLUMN users.time_zone IS 'IANA time zone name used to display dates and compute study streaks.';
COMMENT ON COLUMN users.is_active IS 'False for locked or closed accounts; such users cannot log in.';
COMMENT ON COLUMN users.created_at IS 'When the account was registered.';
COMMENT ON COLUMN users.updated_at IS 'When the account was last changed.';
COMMENT ON COLUMN users.last_login_at IS 'Time of the last successful login; NULL if the user never logged in.';
COMMENT ON COLUMN users.phone IS 'Legacy optional phone number in E.164 format; removed in migration 0008 (data minimisation).';

CREATE TABLE IF NOT EXISTS user_sessions (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id            bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    exam_id            bigint NOT NULL REFERENCES exams (id) ON DELETE RESTRICT,
    status             text NOT NULL DEFAULT 'in_progress',
    started_at         timestamptz NOT NULL DEFAULT now(),
    completed_at       timestamptz,
    total_questions    integer NOT NULL,
    questions_answered integer NOT NULL DEFAULT 0,
    correct_count      integer NOT NULL DEFAULT 0,
    score              numeric(5,2),
    CONSTRAINT user_sessions_status_check CHECK (status IN ('in_progress', 'completed', 'abandoned', 'expired')),
    CONSTRAINT user_sessions_completed_after_start CHECK (completed_at IS NULL OR completed_at >= started_at),
    CONSTRAINT user_sessions_progress_check CHECK (total_questions > 0 AND questions_answered BETWEEN 0 AND total_questions AND correct_count BETWEEN 0 AND questions_answered),
    CONSTRAINT user_sessions_score_check CHECK (score BETWEEN 0 AND 100)
);
CREATE INDEX IF NOT EXISTS user_sessions_user_id_idx ON user_sessions (user_id, started_at);
CREATE INDEX IF NOT EXISTS user_sessions_exam_id_idx ON user_sessions (exam_id);

COMMENT ON TABLE user_sessions IS 'Exam attempts: one row each time a user starts an exam, with progress, status and final score. @group core';
COMMENT ON COLUMN user_sessions.id IS 'Surrogate primary key.';
COMMENT ON COLUMN user_sessions.user_id IS 'User taking the exam; deleting the user deletes their attempts (CASCADE, right to erasure).';
COMMENT ON COLUMN user_sessions.exam_id IS 'Exam being attempted; an exam with attempts cannot be deleted (RESTRICT).';
COMMENT ON COLUMN user_sessions.status IS 'in_progress, completed, abandoned (user gave up) or expired (time limit passed).';
COMMENT ON COLUMN user_sessions.started_at IS 'When the attempt started.';
COMMENT ON COLUMN user_sessions.completed_at IS 'When the attempt was submitted; required for completed attempts.';
COMMENT ON COLUMN user_sessions.total_questions IS 'Number of questions drawn for this attempt.';
COMMENT ON COLUMN user_sessions.questions_answered IS 'Progress: how many of the drawn questions have been answered.';
COMMENT ON COLUMN user_sessions.correct_count IS 'How many answers were correct so far.';
COMMENT ON COLUMN user_sessions.score IS 'Final score in percent (0-100); required for completed attempts.';

CREATE TABLE IF NOT EXISTS comments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    question_id bigint NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    user_id     bigint REFERENCES users (id) ON DELETE SET NULL,
    parent_id   bigint REFERENCES comments (id) ON DELETE CASCADE,
    depth       smallint NOT NULL DEFAULT 0,
    body        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT comments_depth_check CHECK (depth BETWEEN 0 AND 5),
    CONSTRAINT comments_root_depth CHECK ((parent_id IS NULL) = (depth = 0)),
    CONSTRAINT comments_body_length CHECK (char_length(btrim(body)) BETWEEN 1 AND 10000)
);
CREATE INDEX IF NOT EXISTS comments_question_id_idx ON comments (question_id, created_at);
CREATE INDEX IF NOT EXISTS comments_user_id_idx ON comments (user_id);
CREATE INDEX IF NOT EXISTS comments_parent_id_idx ON comments (parent_id);

COMMENT ON TABLE comments IS 'Threaded discussion on questions: replies point to their parent comment, at most 5 levels deep. @group core';
COMMENT ON COLUMN comments.id IS 'Surrogate primary key.';
COMMENT ON COLUMN comments.question_id IS 'Question being discussed; deleting the question deletes its discussion (CASCADE).';
COMMENT ON COLUMN comments.user_id IS 'Author; set to NULL when the account is deleted so the thread stays readable.';
COMMENT ON COLUMN comments.parent_id IS 'Comment this one replies to, NULL for a top-level comment; deleting a comment deletes its replies.';
COMMENT ON COLUMN comments.depth IS 'Nesting level: 0 for top-level comments, parent depth + 1 for replies, at most 5.';
COMMENT ON COLUMN comments.body IS 'Comment text (1-10000 characters).';
COMMENT ON COLUMN comments.created_at IS 'When the comment was posted.';
COMMENT ON COLUMN comments.updated_at IS 'When the comment was last edited.';

-- 0009_classify_personal_data (rollback): the comments as they were before
-- the classification tags.

COMMENT ON TABLE access_audit IS 'Audit trail of who accessed which resource and how; append-only, range-partitioned by month on occurred_at. @group security';
COMMENT ON COLUMN access_audit.id IS 'Row id from the access_audit_id_seq sequence; unique together with occurred_at.';
COMMENT ON COLUMN access_audit.occurred_at IS 'When the access happened (partition key).';
COMMENT ON COLUMN access_audit.user_id IS 'User who accessed the resource; NULL for anonymous access or after the account was deleted.';
COMMENT ON COLUMN access_audit.resource_type IS 'Kind of resource accessed (subject, exam, question, user, user_session, report, export, admin_panel).';
COMMENT ON COLUMN access_audit.resource_id IS 'Id of the resource accessed, in the table named by resource_type; NULL for listings.';
COMMENT ON COLUMN access_audit.action IS 'read, create, update, delete or export.';
COMMENT ON COLUMN access_audit.success IS 'False when the access was denied.';
COMMENT ON COLUMN access_audit.ip_address IS 'Client IP address; personal data under GDPR.';
COMMENT ON COLUMN access_audit.user_agent IS 'Client User-Agent header.';
COMMENT ON COLUMN access_audit.details IS 'Extra context as a JSON object (request id, changed fields, ...).';

COMMENT ON TABLE access_permissions IS 'Role-based permissions: which application role may perform which action on which kind of resource. @group security';
COMMENT ON TABLE auth_logs IS 'Authentication events (login, logout, failures, lockouts, password resets); append-only, range-partitioned by month on occurred_at. @group security';
COMMENT ON COLUMN auth_logs.id IS 'Row id from the auth_logs_id_seq sequence; unique together with occurred_at.';
COMMENT ON COLUMN auth_logs.occurred_at IS 'When the event happened (partition key).';
COMMENT ON COLUMN auth_logs.user_id IS 'User concerned; NULL when the login name matched no account or the account was deleted.';
COMMENT ON COLUMN auth_logs.event_type IS 'login, logout, login_failed, lockout, password_reset or token_refresh.';
COMMENT ON COLUMN auth_logs.ip_address IS 'Client IP address; anonymized (set to NULL) by retention policy.';
COMMENT ON COLUMN auth_logs.user_agent IS 'Client User-Agent header; anonymized (set to NULL) by retention policy.';
COMMENT ON COLUMN auth_logs.failure_reason IS 'Why a login failed or an account was locked; set exactly for login_failed and lockout events.';

COMMENT ON TABLE auth_sessions IS 'Login sessions of users: the SHA-256 hash of the session token, client details and expiry. @group security';
COMMENT ON COLUMN auth_sessions.id IS 'Surrogate primary key.';
COMMENT ON COLUMN auth_sessions.user_id IS 'Logged-in user; sessions are deleted with the user.';
COMMENT ON COLUMN auth_sessions.token_hash IS 'SHA-256 of the bearer token (32 bytes); the token itself is never stored.';
COMMENT ON COLUMN auth_sessions.ip_address IS 'Client IP address at login.';
COMMENT ON COLUMN auth_sessions.user_agent IS 'Client User-Agent header at login.';
COMMENT ON COLUMN auth_sessions.created_at IS 'When the session was created (login time).';
COMMENT ON COLUMN auth_sessions.last_seen_at IS 'Last request made with this session.';
COMMENT ON COLUMN auth_sessions.expires_at IS 'After this time the session is invalid; purged later by retention policy.';
COMMENT ON COLUMN auth_sessions.revoked_at IS 'When the session was ended early (logout, password change); NULL otherwise.';

COMMENT ON TABLE comments IS 'Threaded discussion on questions: replies point to their parent comment, at most 5 levels deep. @group core';
COMMENT ON COLUMN comments.id IS 'Surrogate primary key.';
COMMENT ON COLUMN comments.question_id IS 'Question being discussed; deleting the question deletes its discussion (CASCADE).';
COMMENT ON COLUMN comments.user_id IS 'Author; set to NULL when the account is deleted so the thread stays readable.';
COMMENT ON COLUMN comments.parent_id IS 'Comment this one replies to, NULL for a top-level comment; deleting a comment deletes its replies.';
COMMENT ON COLUMN comments.depth IS 'Nesting level: 0 for top-level comments, parent depth + 1 for replies, at most 5.';
COMMENT ON COLUMN comments.body IS 'Comment text (1-10000 characters).';
COMMENT ON COLUMN comments.created_at IS 'When the comment was posted.';
COMMENT ON COLUMN comments.updated_at IS 'When the comment was last edited.';

COMMENT ON TABLE data_retention_policies IS 'How long each class of data is kept and what happens afterwards (delete or anonymize), with the legal basis. Enforced by enforce_retention_policies(). @group security';
COMMENT ON TABLE detailed_answers IS 'One row per question answered in an exam attempt: what was chosen, whether it was right, how long it took and how confident the user was. @group analytics';
COMMENT ON COLUMN detailed_answers.id IS 'Surrogate primary key.';
COMMENT ON COLUMN detailed_answers.session_id IS 'Exam attempt the answer belongs to; deleted with the attempt.';
COMMENT ON COLUMN detailed_answers.question_id IS 'Question answered; answered questions cannot be deleted (RESTRICT), retire them instead.';
COMMENT ON COLUMN detailed_answers.selected_answers IS 'Zero-based option positions the user chose; empty when the question was skipped.';
COMMENT ON COLUMN detailed_answers.is_correct IS 'True when selected_answers equals the question''s correct_answers.';
COMMENT ON COLUMN detailed_answers.time_taken_ms IS 'Time spent on the question in milliseconds (at most 3 hours).';
COMMENT ON COLUMN detailed_answers.confidence IS 'Self-reported confidence from 1 (guess) to 5 (certain); NULL if not given.';
COMMENT ON COLUMN detailed_answers.answered_at IS 'When the answer was submitted.';

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

COMMENT ON TABLE exams IS 'Practice exams: a timed set of questions within one subject. @group core';
COMMENT ON TABLE performance_trends IS 'Weekly performance of each user in each subject; range-partitioned by week_start (monthly partitions plus a DEFAULT partition). @group analytics';
COMMENT ON COLUMN performance_trends.user_id IS 'User whose week is summarised.';
COMMENT ON COLUMN performance_trends.subject_id IS 'Subject the week is summarised for.';
COMMENT ON COLUMN performance_trends.week_start IS 'Monday of the ISO week (partition key).';
COMMENT ON COLUMN performance_trends.sessions_completed IS 'Attempts completed that week in this subject.';
COMMENT ON COLUMN performance_trends.questions_answered IS 'Questions answered that week in this subject.';
COMMENT ON COLUMN performance_trends.correct_answers IS 'Correct answers that week in this subject.';
COMMENT ON COLUMN performance_trends.average_score IS 'Average score of the week''s completed attempts in percent; NULL if none.';
COMMENT ON COLUMN performance_trends.time_spent_seconds IS 'Time spent answering that week, in seconds.';

COMMENT ON TABLE questions IS 'Multiple-choice questions of an exam, with options, correct answer(s) and an explanation. @group core';
COMMENT ON TABLE retention_runs IS 'Log of retention enforcement: one row per policy each time enforce_retention_policies() runs, with the number of rows deleted or anonymized. @group security';
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

COMMENT ON TABLE subjects IS 'Certification and academic subjects (e.g. "AWS Solutions Architect", "Organic Chemistry") that group practice exams. @group core';
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

-- 0004_partitions_and_triggers: monthly partitions and schema behaviour.
--
-- 1. create_monthly_partitions(parent, from, to) creates one partition per
--    month for a table range-partitioned on a date or timestamptz column.
--    If the DEFAULT partition already holds rows of that month they are moved
--    into the new partition (create standalone, move, ATTACH), so the helper
--    is safe on a live table. ensure_future_partitions() is the entry point
--    for a scheduled job (e.g. daily pg_cron): it keeps N months ahead ready.
--    Partitions are created for 2025-10 .. 2027-03, which covers the demo
--    data (the 12 months before 2026-11-01) and a few months ahead.
-- 2. Cached counters (subjects.exam_count, subjects.question_count,
--    exams.question_count) are maintained by STATEMENT-level triggers with
--    transition tables, so a COPY of 25k questions costs one counter update
--    per exam instead of 25k row updates. Moving a question to another exam
--    (even of another subject) and moving an exam to another subject are
--    handled; TRUNCATE resets the counters.
-- 3. updated_at is set on direct updates (not on counter updates made by
--    triggers), and comment depth is derived from the parent comment.
-- The rollback folds monthly partitions back into the DEFAULT partitions, so
-- it preserves data.

SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION create_monthly_partitions(p_parent regclass, p_from date, p_to date)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_schema   name;
    v_relname  name;
    v_key      name;
    v_key_type regtype;
    v_default  regclass;
    v_month    date;
    v_name     text;
    v_lo       text;
    v_hi       text;
    v_has_rows boolean;
    v_created  integer := 0;
    c          record;
BEGIN
    SELECT a.attname, a.atttypid::regtype
      INTO v_key, v_key_type
      FROM pg_partitioned_table pt
      JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
     WHERE pt.partrelid = p_parent AND pt.partstrat = 'r' AND pt.partnatts = 1;
    IF NOT FOUND OR v_key_type NOT IN ('date'::regtype, 'timestamp with time zone'::regtype) THEN
        RAISE EXCEPTION '% is not range-partitioned on one date or timestamptz column', p_parent;
    END IF;

    SELECT n.nspname, c2.relname INTO v_schema, v_relname
      FROM pg_class c2 JOIN pg_namespace n ON n.oid = c2.relnamespace
     WHERE c2.oid = p_parent;

    SELECT i.inhrelid::regclass INTO v_default
      FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid
     WHERE i.inhparent = p_parent AND pg_get_expr(p.relpartbound, p.oid) = 'DEFAULT';

    v_month := date_trunc('month', p_from)::date;
    WHILE v_month < p_to LOOP
        v_name := v_relname || '_' || to_char(v_month, 'YYYY_MM');
        IF to_regclass(format('%I.%I', v_schema, v_name)) IS NULL THEN
            IF v_key_type = 'date'::regtype THEN
                v_lo := quote_literal(v_month::text);
                v_hi := quote_literal((v_month + 1 * interval '1 month')::date::text);
            ELSE
                -- Month boundaries at UTC midnight; the literal carries its offset.
                v_lo := quote_literal((v_month::timestamp AT TIME ZONE 'UTC')::text);
                v_hi := quote_literal(((v_month + interval '1 month')::timestamp AT TIME ZONE 'UTC')::text);
            END IF;

            v_has_rows := false;
            IF v_default IS NOT NULL THEN
                EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %I >= %s AND %I < %s)',
                               v_default, v_key, v_lo, v_key, v_hi)
                   INTO v_has_rows;
            END IF;

            IF v_has_rows THEN
                -- Rows of this month sit in the DEFAULT partition: move them first.
                EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                               v_schema, v_name, p_parent);
                EXECUTE format('WITH moved AS (DELETE FROM %s WHERE %I >= %s AND %I < %s RETURNING *) '
                               'INSERT INTO %I.%I SELECT * FROM moved',
                               v_default, v_key, v_lo, v_key, v_hi, v_schema, v_name);
                EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%s) TO (%s)',
                               p_parent, v_schema, v_name, v_lo, v_hi);
            ELSE
                EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s FOR VALUES FROM (%s) TO (%s)',
                               v_schema, v_name, p_parent, v_lo, v_hi);
            END IF;

            -- Document the partition like its parent (100% comment coverage).
            EXECUTE format('COMMENT ON TABLE %I.%I IS %L', v_schema, v_name,
                           format('Monthly partition of %s for %s. @group %s', v_relname, to_char(v_month, 'YYYY-MM'),
                                  coalesce(substring(obj_description(p_parent, 'pg_class') FROM '@group (\w+)\s*$'), 'core')));
            FOR c IN
                SELECT a.attname, col_description(a.attrelid, a.attnum) AS description
                  FROM pg_attribute a
                 WHERE a.attrelid = p_parent AND a.attnum > 0 AND NOT a.attisdropped
            LOOP
                EXECUTE format('COMMENT ON COLUMN %I.%I.%I IS %L', v_schema, v_name, c.attname, c.description);
            END LOOP;
            v_created := v_created + 1;
        END IF;
        v_month := (v_month + interval '1 month')::date;
    END LOOP;
    RETURN v_created;
END
$$;
COMMENT ON FUNCTION create_monthly_partitions(regclass, date, date) IS
    'Creates the missing monthly partitions <parent>_YYYY_MM of a table range-partitioned on a date or timestamptz column, for every month from p_from up to (excluding) p_to; moves matching rows out of the DEFAULT partition first. Returns the number of partitions created. Idempotent.';

CREATE OR REPLACE FUNCTION ensure_future_partitions(p_months_ahead integer DEFAULT 3)
RETURNS integer
LANGUAGE sql
AS $$
    SELECT coalesce(sum(create_monthly_partitions(t.parent, date_trunc('month', now())::date,
                        (date_trunc('month', now()) + make_interval(months => p_months_ahead + 1))::date)), 0)::integer
      FROM unnest(ARRAY['performance_trends'::regclass, 'access_audit'::regclass, 'auth_logs'::regclass]) AS t(parent);
$$;
COMMENT ON FUNCTION ensure_future_partitions(integer) IS
    'Scheduled-job entry point: makes sure performance_trends, access_audit and auth_logs have partitions for the current month and the next p_months_ahead months. Returns the number of partitions created.';

SELECT create_monthly_partitions(t.parent, DATE '2025-10-01', DATE '2027-04-01')
  FROM unnest(ARRAY['performance_trends'::regclass, 'access_audit'::regclass, 'auth_logs'::regclass]) AS t(parent);

-- updated_at -------------------------------------------------------------

CREATE OR REPLACE FUNCTION set_updated_at()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION set_updated_at() IS
    'BEFORE UPDATE row trigger: sets updated_at to the transaction time. Attached with WHEN (pg_trigger_depth() = 0) so cached-counter updates made by other triggers do not count as edits.';

CREATE TRIGGER subjects_set_updated_at BEFORE UPDATE ON subjects
    FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER exams_set_updated_at BEFORE UPDATE ON exams
    FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER questions_set_updated_at BEFORE UPDATE ON questions
    FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users
    FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER comments_set_updated_at BEFORE UPDATE ON comments
    FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER user_profiles_set_updated_at BEFORE UPDATE ON user_profiles
    FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER data_retention_policies_set_updated_at BEFORE UPDATE ON data_retention_policies
    FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION set_updated_at();

-- comment threading ----------------------------------------------------------

CREATE OR REPLACE FUNCTION comments_set_depth()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    v_parent_depth    smallint;
    v_parent_question bigint;
BEGIN
    IF NEW.parent_id IS NULL THEN
        NEW.depth := 0;
    ELSE
        SELECT depth, question_id INTO v_parent_depth, v_parent_question
          FROM comments WHERE id = NEW.parent_id;
        IF FOUND THEN
            IF v_parent_question <> NEW.question_id THEN
                RAISE EXCEPTION 'comment reply must be on the same question as its parent (parent % is on question %)',
                    NEW.parent_id, v_parent_question USING ERRCODE = 'check_violation';
            END IF;
            NEW.depth := v_parent_depth + 1;  -- comments_depth_check rejects depth > 5
        END IF;                               -- a missing parent is reported by the foreign key
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION comments_set_depth() IS
    'BEFORE INSERT/UPDATE row trigger on comments: derives depth from the parent comment and rejects replies on a different question than their parent.';

CREATE TRIGGER comments_set_depth BEFORE INSERT OR UPDATE OF parent_id, question_id ON comments
    FOR EACH ROW EXECUTE FUNCTION comments_set_depth();

-- cached counters ------------------------------------------------------------

CREATE OR REPLACE FUNCTION questions_maintain_counts()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    -- Per-exam deltas of this statement; the exams UPDATE returns each exam's
    -- subject so subjects are adjusted in the same statement. Questions deleted
    -- by ON DELETE CASCADE from an exam find no exam row: the exams trigger
    -- then subtracts the exam's cached count from its subject instead.
    IF TG_OP = 'INSERT' THEN
        WITH d AS (SELECT exam_id, count(*)::integer AS n FROM new_rows GROUP BY exam_id),
             e AS (UPDATE exams x SET question_count = x.question_count + d.n
                     FROM d WHERE x.id = d.exam_id RETURNING x.subject_id, d.n)
        UPDATE subjects s SET question_count = s.question_count + t.n
          FROM (SELECT subject_id, sum(n)::integer AS n FROM e GROUP BY subject_id) t
         WHERE s.id = t.subject_id;
    ELSIF TG_OP = 'DELETE' THEN
        WITH d AS (SELECT exam_id, count(*)::integer AS n FROM old_rows GROUP BY exam_id),
             e AS (UPDATE exams x SET question_count = x.question_count - d.n
                     FROM d WHERE x.id = d.exam_id RETURNING x.subject_id, d.n)
        UPDATE subjects s SET question_count = s.question_count - t.n
          FROM (SELECT subject_id, sum(n)::integer AS n FROM e GROUP BY subject_id) t
         WHERE s.id = t.subject_id;
    ELSIF TG_OP = 'UPDATE' THEN
        WITH moved AS (
                 SELECT o.exam_id AS old_exam, n.exam_id AS new_exam
                   FROM old_rows o JOIN new_rows n ON n.id = o.id
                  WHERE n.exam_id IS DISTINCT FROM o.exam_id),
             d AS (SELECT exam_id, sum(delta)::integer AS n
                     FROM (SELECT old_exam AS exam_id, -1 AS delta FROM moved
                           UNION ALL
                           SELECT new_exam, 1 FROM moved) x
                    GROUP BY exam_id),
             e AS (UPDATE exams x SET question_count = x.question_count + d.n
                     FROM d WHERE x.id = d.exam_id AND d.n <> 0 RETURNING x.subject_id, d.n)
        UPDATE subjects s SET question_count = s.question_count + t.n
          FROM (SELECT subject_id, sum(n)::integer AS n FROM e GROUP BY subject_id) t
         WHERE s.id = t.subject_id AND t.n <> 0;
    ELSIF TG_OP = 'TRUNCATE' THEN
        UPDATE exams SET question_count = 0 WHERE question_count <> 0;
        UPDATE subjects SET question_count = 0 WHERE question_count <> 0;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION questions_maintain_counts() IS
    'AFTER statement trigger on questions (transition tables old_rows/new_rows): keeps exams.question_count and subjects.question_count equal to the real counts on insert, delete, move to another exam and truncate.';

CREATE TRIGGER questions_counts_insert AFTER INSERT ON questions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION questions_maintain_counts();
CREATE TRIGGER questions_counts_delete AFTER DELETE ON questions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION questions_maintain_counts();
CREATE TRIGGER questions_counts_update AFTER UPDATE ON questions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION questions_maintain_counts();
CREATE TRIGGER questions_counts_truncate AFTER TRUNCATE ON questions
    FOR EACH STATEMENT EXECUTE FUNCTION questions_maintain_counts();

CREATE OR REPLACE FUNCTION exams_maintain_counts()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE subjects s SET exam_count = s.exam_count + d.exams, question_count = s.question_count + d.questions
          FROM (SELECT subject_id, count(*)::integer AS exams, sum(question_count)::integer AS questions
                  FROM new_rows GROUP BY subject_id) d
         WHERE s.id = d.subject_id;
    ELSIF TG_OP = 'DELETE' THEN
        -- The exam's questions are removed by ON DELETE CASCADE; their own
        -- trigger cannot reach the subject any more, so subtract them here.
        UPDATE subjects s SET exam_count = s.exam_count - d.exams, question_count = s.question_count - d.questions
          FROM (SELECT subject_id, count(*)::integer AS exams, sum(question_count)::integer AS questions
                  FROM old_rows GROUP BY subject_id) d
         WHERE s.id = d.subject_id;
    ELSIF TG_OP = 'UPDATE' THEN
        -- Only moves to another subject matter here: question_count changes
        -- are propagated to subjects by questions_maintain_counts().
        UPDATE subjects s SET exam_count = s.exam_count + d.exams, question_count = s.question_count + d.questions
          FROM (SELECT subject_id, sum(exams)::integer AS exams, sum(questions)::integer AS questions
                  FROM (SELECT o.subject_id, -1 AS exams, -o.question_count AS questions
                          FROM old_rows o JOIN new_rows n ON n.id = o.id
                         WHERE n.subject_id IS DISTINCT FROM o.subject_id
                        UNION ALL
                        SELECT n.subject_id, 1, n.question_count
                          FROM old_rows o JOIN new_rows n ON n.id = o.id
                         WHERE n.subject_id IS DISTINCT FROM o.subject_id) x
                 GROUP BY subject_id) d
         WHERE s.id = d.subject_id AND (d.exams <> 0 OR d.questions <> 0);
    ELSIF TG_OP = 'TRUNCATE' THEN
        UPDATE subjects SET exam_count = 0, question_count = 0 WHERE exam_count <> 0 OR question_count <> 0;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION exams_maintain_counts() IS
    'AFTER statement trigger on exams (transition tables old_rows/new_rows): keeps subjects.exam_count and subjects.question_count right when exams are created, deleted, moved to another subject or truncated.';

CREATE TRIGGER exams_counts_insert AFTER INSERT ON exams
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION exams_maintain_counts();
CREATE TRIGGER exams_counts_delete AFTER DELETE ON exams
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION exams_maintain_counts();
CREATE TRIGGER exams_counts_update AFTER UPDATE ON exams
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION exams_maintain_counts();
CREATE TRIGGER exams_counts_truncate AFTER TRUNCATE ON exams
    FOR EACH STATEMENT EXECUTE FUNCTION exams_maintain_counts();

-- Bring counters of rows that existed before this migration up to date.
UPDATE exams e SET question_count = q.n
  FROM (SELECT x.id, count(q.id)::integer AS n FROM exams x LEFT JOIN questions q ON q.exam_id = x.id GROUP BY x.id) q
 WHERE e.id = q.id AND e.question_count <> q.n;
UPDATE subjects s SET exam_count = c.exams, question_count = c.questions
  FROM (SELECT x.id, count(e.id)::integer AS exams, coalesce(sum(e.question_count), 0)::integer AS questions
          FROM subjects x LEFT JOIN exams e ON e.subject_id = x.id GROUP BY x.id) c
 WHERE s.id = c.id AND (s.exam_count <> c.exams OR s.question_count <> c.questions);

#!/usr/bin/env python3
"""Deterministic demo-data generator for the Brainliest reference database.

Fills a database migrated with sql/migrations (all of them) with realistic
data: at scale 1 about 50 subjects, 500 exams, 25k questions, 10k users,
100k exam attempts, ~1M answers and a year (2025-11 .. 2026-10) of audit and
authentication logs spread over the monthly partitions.

    python demo/seed.py --database-url URL --scale 1 [--seed 42] [--defects|--no-defects]

or from Python: ``seed(conninfo, scale=1.0, seed=42, defects=True) -> dict``.

Rows are generated with ``random.Random(seed)`` (same seed, same data) and
loaded with COPY. The cached-counter triggers stay active: they are
statement-level triggers, so one COPY costs one counter update per exam.
Aggregates (user profiles, weekly trends) are computed set-based in SQL.
After loading, the retention policies are enforced once (as the nightly job
would), then -- unless ``defects=False`` -- a few deliberate defects are
planted for the checks in sql/checks to find; they are returned in
``result["defects"]``. No password is ever generated or printed: users get
fake bcrypt-shaped hashes.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
import time

import psycopg

ANCHOR = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)  # data covers the year before
WINDOW_START = ANCHOR - dt.timedelta(days=365)
DIFFICULTIES = ("Beginner", "Intermediate", "Advanced")

CERT_SUBJECTS = [
    "AWS Certified Solutions Architect Associate", "AWS Certified Developer Associate",
    "AWS Certified Cloud Practitioner", "Microsoft Azure Fundamentals", "Microsoft Azure Administrator",
    "Google Cloud Associate Cloud Engineer", "CompTIA A Plus", "CompTIA Network Plus",
    "CompTIA Security Plus", "Cisco CCNA", "Certified Kubernetes Administrator",
    "Certified Information Systems Security Professional", "Certified Ethical Hacker",
    "Project Management Professional", "Certified ScrumMaster", "ITIL 4 Foundation",
    "Oracle Certified Java Programmer", "PostgreSQL Associate", "Red Hat Certified System Administrator",
    "Terraform Associate", "Salesforce Administrator", "Certified Public Accountant",
    "Chartered Financial Analyst Level I", "Six Sigma Green Belt", "Google Data Analytics",
]
ACADEMIC_SUBJECTS = [
    "Calculus I", "Calculus II", "Linear Algebra", "Probability and Statistics", "Discrete Mathematics",
    "General Chemistry", "Organic Chemistry", "Biochemistry", "Cell Biology", "Genetics",
    "Classical Mechanics", "Electromagnetism", "Thermodynamics", "Microeconomics", "Macroeconomics",
    "World History", "United States History", "Introduction to Psychology", "Sociology",
    "English Literature", "Data Structures", "Algorithms", "Operating Systems", "Computer Networks",
    "Database Systems",
]
DOMAINS = ["Fundamentals", "Design", "Security", "Operations", "Troubleshooting", "Theory",
           "Applications", "Best Practices"]
FIRST = ["James", "Mary", "Wei", "Fatima", "Carlos", "Aisha", "Ivan", "Priya", "Lukas", "Yuki",
         "Olga", "Kwame", "Sofia", "Mateo", "Noah", "Emma", "Liam", "Zara", "Omar", "Chen"]
LAST = ["Smith", "Garcia", "Wang", "Khan", "Silva", "Okafor", "Petrov", "Patel", "Muller", "Tanaka",
        "Novak", "Mensah", "Rossi", "Lopez", "Brown", "Kim", "Nguyen", "Ali", "Hansen", "Costa"]
COUNTRIES = ["US", "GB", "DE", "IN", "BR", "NG", "JP", "FR", "CA", "AU", "PL", "KE", "MX", "ES"]
AGENTS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130.0", "Mozilla/5.0 (Macintosh) Safari/18.0",
          "Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0", "Brainliest-iOS/4.2", "Brainliest-Android/4.2"]
STEMS = ["Which statement best describes", "What is the primary purpose of", "Which option is required for",
         "What happens when you change", "Which is the most cost-effective approach to",
         "Which of the following is true about", "How should an engineer handle"]
CONCEPTS = ["the control plane", "eventual consistency", "least privilege", "a rolling update",
            "the second law", "a covalent bond", "marginal cost", "recursion", "a B-tree index",
            "the derivative of a product", "a null hypothesis", "a subnet mask", "key rotation",
            "an eigenvector", "the critical path", "a cache miss"]

RETENTION_POLICIES = [
    # table, data class, timestamp column, period, action, anonymize columns, legal basis, description
    ("access_audit", "access_trail", "occurred_at", "2 years", "delete", None, "SOX",
     "Access audit trail is kept two years for internal-control reviews, then deleted."),
    ("auth_logs", "network_identifiers", "occurred_at", "180 days", "anonymize", ["ip_address", "user_agent"], "GDPR",
     "IP addresses and user agents in authentication logs are personal data: cleared after 180 days."),
    ("auth_logs", "auth_events", "occurred_at", "2 years", "delete", None, "SOX",
     "Authentication events are kept two years, then deleted."),
    ("auth_sessions", "expired_sessions", "expires_at", "30 days", "delete", None, "GDPR",
     "Login sessions are deleted 30 days after they expire."),
    ("study_recommendations", "expired_recommendations", "expires_at", "90 days", "delete", None, "CCPA",
     "Generated recommendations are deleted 90 days after they expire."),
]


def _ts(t: dt.datetime) -> str:
    return t.isoformat()


def _copy(cur, table: str, columns: list[str], rows) -> int:
    """COPY rows (tuples of already-formatted text fields, None for NULL) into table."""
    n = 0
    buf: list[str] = []
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
        for row in rows:
            buf.append("\t".join("\\N" if v is None else v for v in row))
            n += 1
            if len(buf) >= 20000:
                cp.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            cp.write("\n".join(buf) + "\n")
    return n


def _arr(values) -> str:
    return "{" + ",".join(str(v) for v in values) + "}"


def seed(conninfo: str, scale: float = 1.0, seed: int = 42, defects: bool = True) -> dict:
    """Fill an empty, fully migrated Brainliest database. Returns row counts per
    table, the planted defects, the retention run and the elapsed seconds."""
    t0 = time.monotonic()
    rng = random.Random(seed)
    n_subjects = max(3, round(50 * scale))
    n_exams = max(6, round(500 * scale))
    n_users = max(50, round(10_000 * scale))
    n_sessions = max(300, round(100_000 * scale))
    n_audit = max(500, round(300_000 * scale))
    n_authlog = max(300, round(150_000 * scale))
    span = (ANCHOR - WINDOW_START).total_seconds()

    with psycopg.connect(conninfo) as conn:
        cur = conn.cursor()
        cur.execute("SET synchronous_commit = off")
        cur.execute("SELECT count(*) FROM subjects")
        if cur.fetchone()[0]:
            raise RuntimeError("database already holds data; seed an empty, migrated database")

        # subjects --------------------------------------------------------
        names = []
        pool = [(n, "certification") for n in CERT_SUBJECTS] + [(n, "academic") for n in ACADEMIC_SUBJECTS]
        for i in range(n_subjects):
            base, cat = pool[i % len(pool)]
            names.append((base if i < len(pool) else f"{base} Part {i // len(pool) + 1}", cat))

        def subject_rows():
            for i, (name, cat) in enumerate(names, 1):
                slug = "-".join("".join(ch if ch.isalnum() else " " for ch in name.lower()).split())
                created = WINDOW_START - dt.timedelta(days=rng.randint(30, 700))
                desc = f"Practice exams and explanations for {name}, organised by exam domain."
                yield (str(i), slug, name, cat, desc, _ts(created), _ts(created))
        _copy(cur, "subjects", ["id", "slug", "name", "category", "description", "created_at", "updated_at"],
              subject_rows())

        # exams -------------------------------------------------------------
        exams = []  # (id, subject_id, difficulty, passing_score, time_limit)
        for e in range(1, n_exams + 1):
            sid = (e - 1) % n_subjects + 1
            exams.append((e, sid, rng.choice(DIFFICULTIES), rng.choice((60, 65, 70, 72, 75, 80)),
                          rng.choice((30, 45, 60, 90, 120, 180))))

        def exam_rows():
            for e, sid, diff, passing, limit in exams:
                title = f"{names[sid - 1][0]} Practice Exam {(e - 1) // n_subjects + 1}"
                created = WINDOW_START - dt.timedelta(days=rng.randint(1, 300))
                meta = json.dumps({"code": f"BL-{sid:03d}-{e:05d}", "version": rng.randint(1, 4)})
                yield (str(e), str(sid), title, f"{diff} practice exam for {names[sid - 1][0]}.", diff,
                       str(limit), str(passing), meta, _ts(created), _ts(created))
        _copy(cur, "exams", ["id", "subject_id", "title", "description", "difficulty", "time_limit_minutes",
                             "passing_score", "metadata", "created_at", "updated_at"], exam_rows())

        # questions: contiguous ids per exam --------------------------------
        q_exam: list[int] = [0]            # question id -> exam id (index 0 unused)
        q_correct: list[tuple] = [()]
        q_domain: list[str] = [""]
        q_nopts: list[int] = [0]
        exam_qrange: dict[int, tuple[int, int]] = {}

        def question_rows():
            qid = 0
            for e, sid, diff, _p, _l in exams:
                n = rng.randint(30, 70)
                first = qid + 1
                domains = rng.sample(DOMAINS, 4)
                for k in range(n):
                    qid += 1
                    nopt = rng.choice((4, 4, 4, 5))
                    if rng.random() < 0.15:
                        correct = tuple(sorted(rng.sample(range(nopt), 2)))
                    else:
                        correct = (rng.randrange(nopt),)
                    dom = domains[k % 4]
                    text = f"Q{k + 1}. {rng.choice(STEMS)} {rng.choice(CONCEPTS)} in {dom.lower()} (item {qid})?"
                    opts = json.dumps([f"Option {chr(65 + o)}: {rng.choice(CONCEPTS)}" for o in range(nopt)])
                    qdiff = diff if rng.random() < 0.7 else rng.choice(DIFFICULTIES)
                    q_exam.append(e)
                    q_correct.append(correct)
                    q_domain.append(dom)
                    q_nopts.append(nopt)
                    created = WINDOW_START - dt.timedelta(days=rng.randint(0, 200))
                    yield (str(qid), str(e), text, opts, _arr(correct),
                           f"The correct answer follows from the definition of {rng.choice(CONCEPTS)}.",
                           qdiff, dom, "multiple_choice" if len(correct) > 1 else "single_choice",
                           _ts(created), _ts(created))
                exam_qrange[e] = (first, qid)
        _copy(cur, "questions", ["id", "exam_id", "question_text", "options", "correct_answers", "explanation",
                                 "difficulty", "domain", "question_type", "created_at", "updated_at"],
              question_rows())
        n_questions = len(q_exam) - 1

        # users --------------------------------------------------------------
        users = []  # (id, created_at, skill, is_active)

        def user_rows():
            for u in range(1, n_users + 1):
                f, l = rng.choice(FIRST), rng.choice(LAST)
                created = WINDOW_START + dt.timedelta(seconds=rng.uniform(-400 * 86400, span * 0.9))
                skill = rng.uniform(0.35, 0.9)
                active = rng.random() > 0.02
                users.append((u, created, skill, active))
                role = "admin" if u % 200 == 0 else ("instructor" if u % 40 == 0 else "student")
                # Fake bcrypt-shaped hash derived from the id: not a hash of any password.
                fake = hashlib.sha256(f"brainliest-demo-{seed}-{u}".encode()).hexdigest()[:53]
                last_login = created + dt.timedelta(seconds=rng.uniform(0, (ANCHOR - created).total_seconds()))
                yield (str(u), f"{f.lower()}.{l.lower()}{u}@example.com", "$2b$12$" + fake, role, f"{f} {l[0]}.",
                       None, rng.choice(COUNTRIES), "UTC", "t" if active else "f", _ts(created), _ts(created),
                       _ts(last_login))
        _copy(cur, "users", ["id", "email", "password_hash", "role", "display_name", "bio", "country_code",
                             "time_zone", "is_active", "created_at", "updated_at", "last_login_at"], user_rows())

        # sessions, answers, analytics -----------------------------------
        sess_rows, ans_rows, ana_rows = [], [], []
        aid = 0
        popular = [e for e, *_ in exams]
        weights = [1.0 / (1 + (i % 50)) ** 0.5 for i in range(len(popular))]
        exam_by_id = {e[0]: e for e in exams}
        chosen_exams = rng.choices(popular, weights=weights, k=n_sessions)
        for s in range(1, n_sessions + 1):
            u, ucreated, skill, _active = users[rng.randrange(n_users)]
            e = chosen_exams[s - 1]
            _, _sid, _d, passing, _l = exam_by_id[e]
            lo = max(ucreated, WINDOW_START)
            started = lo + dt.timedelta(seconds=rng.uniform(0, (ANCHOR - lo).total_seconds() - 7200))
            first, last = exam_qrange[e]
            total = min(last - first + 1, rng.randint(5, 15))
            r = rng.random()
            status = "completed" if r < 0.80 else ("abandoned" if r < 0.92 else ("expired" if r < 0.96 else "in_progress"))
            answered = total if status == "completed" else rng.randint(0, total - 1)
            qids = rng.sample(range(first, last + 1), answered) if answered else []
            t = started
            correct_n = 0
            spent_ms = 0
            breakdown: dict[str, list[int]] = {}
            for q in qids:
                aid += 1
                ok = rng.random() < skill
                corr = q_correct[q]
                if ok:
                    sel = corr
                else:
                    wrong = [o for o in range(q_nopts[q]) if o not in corr]
                    sel = (rng.choice(wrong),) if wrong and rng.random() < 0.95 else ()
                ms = int(rng.lognormvariate(10.3, 0.6))
                ms = min(ms, 600_000)
                spent_ms += ms
                t = t + dt.timedelta(milliseconds=ms)
                correct_n += ok
                b = breakdown.setdefault(q_domain[q], [0, 0])
                b[0] += 1
                b[1] += ok
                conf = min(5, max(1, round(rng.gauss(3.6 if ok else 2.6, 1.0))))
                ans_rows.append((str(aid), str(s), str(q), _arr(sel), "t" if ok else "f", str(ms),
                                 str(conf) if rng.random() < 0.9 else None, _ts(t)))
            completed_at = t if status == "completed" else None
            score = round(100.0 * correct_n / total, 2) if status == "completed" else None
            sess_rows.append((str(s), str(u), str(e), status, _ts(started),
                              _ts(completed_at) if completed_at else None, str(total), str(answered),
                              str(correct_n), None if score is None else str(score)))
            if status == "completed":
                bd = json.dumps({k: {"answered": v[0], "correct": v[1]} for k, v in sorted(breakdown.items())})
                ana_rows.append((str(len(ana_rows) + 1), str(s), str(u), str(e), str(score), str(correct_n),
                                 str(total), str(spent_ms // 1000), "t" if score >= passing else "f", bd,
                                 _ts(completed_at), _ts(completed_at)))
        _copy(cur, "user_sessions", ["id", "user_id", "exam_id", "status", "started_at", "completed_at",
                                     "total_questions", "questions_answered", "correct_count", "score"], sess_rows)
        _copy(cur, "detailed_answers", ["id", "session_id", "question_id", "selected_answers", "is_correct",
                                        "time_taken_ms", "confidence", "answered_at"], ans_rows)
        _copy(cur, "exam_analytics", ["id", "session_id", "user_id", "exam_id", "score", "correct_count",
                                      "question_count", "time_spent_seconds", "passed", "domain_breakdown",
                                      "completed_at", "created_at"], ana_rows)
        del sess_rows, ans_rows, ana_rows

        # comments: threads on a subset of questions --------------------
        def comment_rows():
            cid = 0
            for _ in range(max(50, round(20_000 * scale))):
                q = rng.randint(1, n_questions)
                thread: list[tuple[int, int]] = []  # (id, depth)
                t = WINDOW_START + dt.timedelta(seconds=rng.uniform(0, span - 86400 * 10))
                for _k in range(rng.choice((1, 1, 1, 2, 3, 4))):
                    cid += 1
                    u = rng.randint(1, n_users)
                    parent = rng.choice(thread) if thread else None
                    if parent and parent[1] >= 5:
                        parent = None
                    depth = parent[1] + 1 if parent else 0
                    thread.append((cid, depth))
                    t = t + dt.timedelta(minutes=rng.randint(5, 3000))
                    body = rng.choice(["I think the answer should be B, can someone explain?",
                                       "The explanation references the official guide, section 3.",
                                       "Great question, this came up in my real exam.",
                                       "Option C is a common trap: read the question again.",
                                       "Agreed, the wording is ambiguous."])
                    yield (str(cid), str(q), str(u), None if parent is None else str(parent[0]), str(depth),
                           body, _ts(t), _ts(t))
        _copy(cur, "comments", ["id", "question_id", "user_id", "parent_id", "depth", "body", "created_at",
                                "updated_at"], comment_rows())

        # study recommendations ------------------------------------------
        def rec_rows():
            rid = 0
            for u, _c, _s, _a in users:
                for _k in range(rng.randint(0, 5)):
                    rid += 1
                    e = rng.randint(1, n_exams)
                    created = WINDOW_START + dt.timedelta(seconds=rng.uniform(0, span))
                    typ = rng.choice(("take_exam", "review_domain", "practice_weak_area", "increase_difficulty"))
                    yield (str(rid), str(u), str(exam_by_id[e][1]), str(e), typ,
                           f"Recommended because of your recent results in {rng.choice(DOMAINS).lower()}.",
                           str(rng.randint(1, 5)), _ts(created), _ts(created + dt.timedelta(days=30)),
                           _ts(created + dt.timedelta(days=2)) if rng.random() < 0.3 else None)
        _copy(cur, "study_recommendations", ["id", "user_id", "subject_id", "exam_id", "recommendation_type",
                                             "reason", "priority", "created_at", "expires_at", "dismissed_at"],
              rec_rows())

        # security logs ----------------------------------------------------
        def ip():
            return f"{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"

        resources = ("subject", "exam", "question", "user", "user_session", "report", "export", "admin_panel")

        def audit_rows():
            for i in range(1, n_audit + 1):
                t = WINDOW_START + dt.timedelta(seconds=rng.uniform(0, span))
                rt = rng.choices(resources, weights=(10, 30, 30, 5, 20, 3, 1, 1))[0]
                act = rng.choices(("read", "create", "update", "delete", "export"), weights=(85, 5, 6, 2, 2))[0]
                yield (str(i), _ts(t), str(rng.randint(1, n_users)) if rng.random() < 0.95 else None, rt,
                       str(rng.randint(1, 1000)), act, "t" if rng.random() < 0.98 else "f", ip(),
                       rng.choice(AGENTS), "{}")
        _copy(cur, "access_audit", ["id", "occurred_at", "user_id", "resource_type", "resource_id", "action",
                                    "success", "ip_address", "user_agent", "details"], audit_rows())

        def authlog_rows():
            for i in range(1, n_authlog + 1):
                t = WINDOW_START + dt.timedelta(seconds=rng.uniform(0, span))
                ev = rng.choices(("login", "logout", "login_failed", "lockout", "password_reset", "token_refresh"),
                                 weights=(45, 25, 12, 1, 2, 15))[0]
                reason = (rng.choice(("bad_password", "unknown_email", "mfa_failed")) if ev == "login_failed"
                          else ("too_many_failures" if ev == "lockout" else None))
                yield (str(i), _ts(t), str(rng.randint(1, n_users)) if reason != "unknown_email" else None, ev,
                       ip(), rng.choice(AGENTS), reason)
        _copy(cur, "auth_logs", ["id", "occurred_at", "user_id", "event_type", "ip_address", "user_agent",
                                 "failure_reason"], authlog_rows())

        def auth_session_rows():
            sid = 0
            for u, ucreated, _s, active in users:
                if rng.random() < 0.35:
                    sid += 1
                    created = ANCHOR - dt.timedelta(seconds=rng.uniform(0, 60 * 86400))
                    created = max(created, ucreated)
                    expires = created + dt.timedelta(days=rng.choice((1, 7, 14, 30)))
                    seen = created + (expires - created) * rng.random() * 0.5
                    revoked = None
                    if not active or rng.random() < 0.1:
                        revoked = seen
                    token = hashlib.sha256(f"demo-token-{seed}-{sid}".encode()).hexdigest()
                    yield (str(sid), str(u), "\\\\x" + token, ip(), rng.choice(AGENTS), _ts(created), _ts(seen),
                           _ts(expires), _ts(revoked) if revoked else None)
        _copy(cur, "auth_sessions", ["id", "user_id", "token_hash", "ip_address", "user_agent", "created_at",
                                     "last_seen_at", "expires_at", "revoked_at"], auth_session_rows())

        perms = [(r, rt, a) for r, rts, acts in (
            ("student", ("subject", "exam", "question", "user_session"), ("read",)),
            ("instructor", ("subject", "exam", "question"), ("read", "create", "update")),
            ("instructor", ("report",), ("read", "export")),
            ("admin", resources, ("read", "create", "update", "delete", "export"))) for rt in rts for a in acts]
        _copy(cur, "access_permissions", ["role", "resource_type", "action", "granted_at"],
              ((r, rt, a, _ts(WINDOW_START)) for r, rt, a in perms))

        # set-based aggregates ----------------------------------------------
        cur.execute("""
            INSERT INTO user_profiles (user_id, learning_goal, preferred_difficulty, weekly_goal_minutes,
                                       total_sessions, completed_sessions, total_questions_answered,
                                       total_correct_answers, average_score, current_streak_days,
                                       last_activity_at, updated_at)
            SELECT u.id,
                   (ARRAY['certification','coursework','career_change','personal_interest'])[1 + u.id %% 4],
                   (ARRAY['Beginner','Intermediate','Advanced'])[1 + u.id %% 3],
                   60 + (u.id %% 6) * 30,
                   coalesce(s.total, 0), coalesce(s.completed, 0), coalesce(s.answered, 0), coalesce(s.correct, 0),
                   s.avg_score, (u.id %% 9)::integer, s.last_activity, %(anchor)s
              FROM users u
              LEFT JOIN (SELECT user_id, count(*) AS total, count(*) FILTER (WHERE status = 'completed') AS completed,
                                sum(questions_answered) AS answered, sum(correct_count) AS correct,
                                round(avg(score), 2) AS avg_score,
                                max(coalesce(completed_at, started_at)) AS last_activity
                           FROM user_sessions GROUP BY user_id) s ON s.user_id = u.id
        """, {"anchor": ANCHOR})
        cur.execute("""
            INSERT INTO performance_trends (user_id, subject_id, week_start, sessions_completed, questions_answered,
                                            correct_answers, average_score, time_spent_seconds)
            SELECT a.user_id, e.subject_id, date_trunc('week', a.completed_at AT TIME ZONE 'UTC')::date,
                   count(*), sum(a.question_count), sum(a.correct_count), round(avg(a.score), 2),
                   sum(a.time_spent_seconds)
              FROM exam_analytics a JOIN exams e ON e.id = a.exam_id
             GROUP BY 1, 2, 3
        """)
        for tbl in ("subjects", "exams", "questions", "users", "user_sessions", "comments", "detailed_answers",
                    "exam_analytics", "study_recommendations", "auth_sessions", "access_permissions"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{tbl}', 'id'), (SELECT max(id) FROM {tbl}))")
        for tbl in ("access_audit", "auth_logs"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{tbl}', 'id'), (SELECT max(id) FROM {tbl}))")

        # retention: policies, then one enforcement run like the nightly job
        for t, cls, col, period, action, cols, basis, desc in RETENTION_POLICIES:
            cur.execute("""INSERT INTO data_retention_policies (table_name, data_class, timestamp_column,
                               retention_period, action, anonymize_columns, legal_basis, description, created_at)
                           VALUES (%s, %s, %s, %s::interval, %s, %s, %s, %s, %s)""",
                        (t, cls, col, period, action, cols, basis, desc, WINDOW_START))
        cur.execute("SELECT table_name, data_class, action, rows_affected FROM enforce_retention_policies()")
        retention = [dict(zip(("table", "data_class", "action", "rows"), r)) for r in cur.fetchall()]

        planted = _plant_defects(cur, rng) if defects else []
        conn.commit()

        counts = {}
        for tbl in ("subjects", "exams", "questions", "users", "user_sessions", "comments", "user_profiles",
                    "detailed_answers", "exam_analytics", "performance_trends", "study_recommendations",
                    "access_audit", "auth_sessions", "auth_logs", "data_retention_policies", "access_permissions",
                    "retention_runs"):
            cur.execute(f"SELECT count(*) FROM {tbl}")
            counts[tbl] = cur.fetchone()[0]
        conn.commit()
        with conn.cursor() as c2:
            conn.autocommit = True
            c2.execute("ANALYZE")
    return {"rows": counts, "defects": planted, "retention": retention,
            "seconds": round(time.monotonic() - t0, 2), "scale": scale, "seed": seed}


def _plant_defects(cur, rng: random.Random) -> list[dict]:
    """Plant deliberate defects; returns one entry per defect with the check file
    (sql/checks/<check>.sql) expected to report it and the affected ids."""
    planted = []
    # 1. non-canonical difficulty spellings (allowed by the case-insensitive CHECK)
    cur.execute("SELECT id FROM exams ORDER BY id LIMIT 3")
    exam_ids = [r[0] for r in cur.fetchall()]
    for eid, val in zip(exam_ids, ("beginner", "ADVANCED", "Intermediate ")):
        cur.execute("UPDATE exams SET difficulty = %s WHERE id = %s", (val, eid))
    planted.append({"check": "difficulty_standardized", "status": "WARN", "table": "exams", "ids": exam_ids})
    cur.execute("SELECT id FROM questions ORDER BY id DESC LIMIT 4")
    q_ids = sorted(r[0] for r in cur.fetchall())
    for qid, val in zip(q_ids, ("advanced", " Beginner", "INTERMEDIATE", "intermediate")):
        cur.execute("UPDATE questions SET difficulty = %s WHERE id = %s", (val, qid))
    planted.append({"check": "difficulty_standardized", "status": "WARN", "table": "questions", "ids": q_ids})
    # 2. a stale cached count (as if a bulk fix had bypassed the triggers)
    cur.execute("SELECT id FROM exams ORDER BY id OFFSET 5 LIMIT 1")
    eid = cur.fetchone()[0]
    cur.execute("UPDATE exams SET question_count = question_count + 3 WHERE id = %s", (eid,))
    planted.append({"check": "cached_counts", "status": "FAIL", "table": "exams", "ids": [eid]})
    # 3. a duplicated question in the same exam (triggers keep the counts right)
    cur.execute("""INSERT INTO questions (exam_id, question_text, options, correct_answers, explanation,
                                          difficulty, domain, question_type)
                   SELECT exam_id, upper(question_text), options, correct_answers, explanation, 'Beginner',
                          domain, question_type
                     FROM questions ORDER BY id OFFSET 10 LIMIT 1 RETURNING id""")
    planted.append({"check": "duplicate_questions", "status": "WARN", "table": "questions",
                    "ids": [cur.fetchone()[0]]})
    # 4. recommendations kept past their retention period (purge job "missed" them)
    cur.execute("""INSERT INTO study_recommendations (user_id, exam_id, recommendation_type, reason, priority,
                                                      created_at, expires_at)
                   SELECT id, 1, 'take_exam', 'Legacy recommendation from the old engine.', 5,
                          now() - interval '3 years', now() - interval '3 years' + interval '30 days'
                     FROM users ORDER BY id LIMIT 3 RETURNING id""")
    planted.append({"check": "retention_backlog", "status": "WARN", "table": "study_recommendations",
                    "ids": sorted(r[0] for r in cur.fetchall())})
    return planted


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", required=True, help="libpq conninfo or URL of an empty, migrated database")
    p.add_argument("--scale", type=float, default=1.0, help="scale factor (1 = 25k questions, ~1M answers)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--defects", action=argparse.BooleanOptionalAction, default=True,
                   help="plant the deliberate defects the checks should find (default: yes)")
    a = p.parse_args(argv)
    result = seed(a.database_url, scale=a.scale, seed=a.seed, defects=a.defects)
    json.dump(result, sys.stdout, indent=2, default=str)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

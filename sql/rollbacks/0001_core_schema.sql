-- 0001_core_schema (rollback): drops the core tables created by 0001, in
-- reverse dependency order. No CASCADE: if a later object still depends on
-- these tables the rollback fails instead of silently dropping it.
-- Indexes, constraints and comments go with their tables.

DROP TABLE IF EXISTS comments;
DROP TABLE IF EXISTS user_sessions;
DROP TABLE IF EXISTS users;
DROP TABLE IF EXISTS questions;
DROP TABLE IF EXISTS exams;
DROP TABLE IF EXISTS subjects;

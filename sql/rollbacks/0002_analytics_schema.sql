-- 0002_analytics_schema (rollback): drops the analytics tables created by
-- 0002. Dropping performance_trends also drops its partitions; by the time
-- this runs the rollback of 0004 has already folded monthly partitions back
-- into the DEFAULT partition. No CASCADE, so unexpected dependents fail loudly.

DROP TABLE IF EXISTS study_recommendations;
DROP TABLE IF EXISTS performance_trends;
DROP TABLE IF EXISTS exam_analytics;
DROP TABLE IF EXISTS detailed_answers;
DROP TABLE IF EXISTS user_profiles;

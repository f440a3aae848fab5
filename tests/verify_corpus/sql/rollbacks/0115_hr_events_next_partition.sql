-- Detach and drop it.
DROP TABLE hr.events_2026_02;

-- Detach and drop it.
DROP TABLE blog.events_2026_02;

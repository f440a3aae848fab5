-- Detach and drop it.
DROP TABLE shop.events_2026_02;

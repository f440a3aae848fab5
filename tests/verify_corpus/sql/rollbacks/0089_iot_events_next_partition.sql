-- Detach and drop it.
DROP TABLE iot.events_2026_02;

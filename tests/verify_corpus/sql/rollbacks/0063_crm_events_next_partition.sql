-- Detach and drop it.
DROP TABLE crm.events_2026_02;

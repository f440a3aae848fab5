-- Next month's partition.
CREATE TABLE hr.events_2026_02 PARTITION OF hr.events
    FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');

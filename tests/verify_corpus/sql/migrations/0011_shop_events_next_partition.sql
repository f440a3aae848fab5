-- Next month's partition.
CREATE TABLE shop.events_2026_02 PARTITION OF shop.events
    FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');

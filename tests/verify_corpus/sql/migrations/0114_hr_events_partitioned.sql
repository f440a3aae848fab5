-- An append-only event log, partitioned by month.
CREATE TABLE hr.events (
    id bigserial,
    occurred_at timestamptz NOT NULL,
    kind text NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE TABLE hr.events_2026_01 PARTITION OF hr.events
    FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
CREATE TABLE hr.events_default PARTITION OF hr.events DEFAULT;
CREATE INDEX events_kind_idx ON hr.events (kind, occurred_at);

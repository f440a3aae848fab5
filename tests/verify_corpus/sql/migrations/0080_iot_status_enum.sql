-- Lifecycle of a reading.
CREATE TYPE iot.reading_status AS ENUM ('draft', 'active', 'closed');

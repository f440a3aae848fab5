-- Drop the enum.
DROP TYPE iot.reading_status;

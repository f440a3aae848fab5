-- The 64-bit number initdb chose for this cluster (shared by its physical
-- replicas), as text: JSON readers that hold numbers in doubles would round it.
SELECT system_identifier::text FROM pg_catalog.pg_control_system()

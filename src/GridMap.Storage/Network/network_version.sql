-- One row, bumped by triggers on every write to the network tables (migration 0005).
SELECT version FROM network_change WHERE id = 1;

-- One row that every worker's claim consults: while paused, nothing is claimed (running jobs finish).
CREATE TABLE queue_control (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    paused     INTEGER NOT NULL DEFAULT 0,
    changed_at INTEGER NOT NULL DEFAULT 0,
    changed_by TEXT
);
INSERT INTO queue_control (id, paused) VALUES (1, 0);

-- "More like this": a run made from an earlier run's candidate records that run and the adjustment asked for.
ALTER TABLE runs ADD COLUMN parent_run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL;
ALTER TABLE runs ADD COLUMN adjustment TEXT;

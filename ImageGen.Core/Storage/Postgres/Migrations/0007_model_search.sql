-- As SQLite 0014: search filtered by model reads the runs that used it from an index (an index-only scan with the id),
-- stopping at CandidateSearch.DenseRuns, instead of a scan of every run.
CREATE INDEX ix_runs_model ON runs (model, id);

-- Search filtered by model (CandidateSearch): the runs that used a model, read from an index instead of a scan of every
-- run. A rare or unused model's runs are collected at once; a common one is known to be common after 1,000 entries
-- (CandidateSearch.DenseRuns), and the page then walks run_images in order (measured in BENCHMARKS.md).
-- SQLite keeps the rowid (runs.id) in every index entry, so the index covers SELECT id … WHERE model = ?.
CREATE INDEX ix_runs_model ON runs (model);

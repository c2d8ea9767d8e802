-- Search sorts every candidate by score or by star: with these the rows are read in the sort's order and the
-- scan stops after one page, instead of sorting every image (CandidateSearch; measured in BENCHMARKS.md).
CREATE INDEX ix_run_images_score ON run_images (score);
CREATE INDEX ix_run_images_starred ON run_images (starred);

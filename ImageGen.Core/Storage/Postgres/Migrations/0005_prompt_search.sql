-- As SQLite 0013: prompt search that grows with the data. PostgreSQL's equivalent of FTS5's trigram tables is pg_trgm:
-- its GIN indexes answer ILIKE '%text%' (what CandidateSearch runs here) without reading every row.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX ix_runs_prompt_trgm ON runs USING gin (prompt gin_trgm_ops);
CREATE INDEX ix_work_items_name_trgm ON work_items USING gin (name gin_trgm_ops);
CREATE INDEX ix_work_items_prompt_trgm ON work_items USING gin (prompt gin_trgm_ops);

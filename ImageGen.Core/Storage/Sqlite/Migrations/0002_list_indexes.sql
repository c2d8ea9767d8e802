-- The jobs list pages newest-first by id, optionally within one status: (status, id) makes that a range
-- scan instead of sorting every job of that status. updated_at gives the live views a cheap change marker.
CREATE INDEX ix_jobs_status_id ON jobs (status, id);
CREATE INDEX ix_jobs_updated ON jobs (updated_at);
-- A project's work items, newest first, paged by id.
CREATE INDEX ix_work_items_project_id ON work_items (project_id, id);

-- ImageGen schema v1. Times are Unix epoch milliseconds (UTC) so lease and backoff
-- arithmetic is plain integer comparison.

CREATE TABLE brands (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL,
    slug             TEXT    NOT NULL,
    description      TEXT    NOT NULL DEFAULT '',
    content_markdown TEXT    NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_brands_slug ON brands (slug);

CREATE TABLE projects (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL,
    slug             TEXT    NOT NULL,
    default_brand_id INTEGER REFERENCES brands (id) ON DELETE SET NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_projects_slug ON projects (slug);

CREATE TABLE work_items (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    slug        TEXT    NOT NULL,
    type        TEXT    NOT NULL DEFAULT 'other',
    prompt      TEXT    NOT NULL DEFAULT '',
    constraints TEXT    NOT NULL DEFAULT '',
    brand_id    INTEGER REFERENCES brands (id) ON DELETE SET NULL,
    status      TEXT    NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'generating', 'review', 'final')),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_work_items_project_slug ON work_items (project_id, slug);

CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY,
    kind             TEXT    NOT NULL,
    work_item_id     INTEGER REFERENCES work_items (id) ON DELETE CASCADE,
    status           TEXT    NOT NULL
                     CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'canceled')),
    payload_json     TEXT    NOT NULL,
    idempotency_key  TEXT,
    attempt          INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL DEFAULT 3,
    run_after        INTEGER NOT NULL,
    claim_token      TEXT,
    claimed_by       TEXT,
    lease_expires_at INTEGER,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    error_message    TEXT,
    retry_of_job_id  INTEGER REFERENCES jobs (id) ON DELETE SET NULL,
    trace_parent     TEXT,
    created_at       INTEGER NOT NULL,
    started_at       INTEGER,
    finished_at      INTEGER,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX ix_jobs_status_created ON jobs (status, created_at);
CREATE INDEX ix_jobs_work_item_created ON jobs (work_item_id, created_at DESC);
CREATE UNIQUE INDEX ux_jobs_idempotency_key ON jobs (idempotency_key) WHERE idempotency_key IS NOT NULL;
-- The claim looks for due queued jobs and for running jobs whose lease ran out. Both indexes lead with
-- status so they serve the filter and the ORDER BY; (status, created_at) alone left the planner sorting
-- every queued job in a temp B-tree on each claim (measured: 1.05 ms per claim at 5,000 queued; docs/QUEUE.md).
CREATE INDEX ix_jobs_claim ON jobs (status, run_after, id);
CREATE INDEX ix_jobs_lease ON jobs (status, lease_expires_at);

CREATE TABLE runs (
    id            INTEGER PRIMARY KEY,
    work_item_id  INTEGER REFERENCES work_items (id) ON DELETE CASCADE,
    job_id        INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt       INTEGER NOT NULL,
    model         TEXT    NOT NULL,
    prompt        TEXT    NOT NULL,
    settings_json TEXT    NOT NULL,
    status        TEXT    NOT NULL
                  CHECK (status IN ('running', 'succeeded', 'failed', 'canceled')),
    error_message TEXT,
    created_at    INTEGER NOT NULL,
    finished_at   INTEGER,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX ix_runs_work_item_created ON runs (work_item_id, created_at DESC);
CREATE INDEX ix_runs_job ON runs (job_id);

CREATE TABLE run_images (
    id             INTEGER PRIMARY KEY,
    run_id         INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    path           TEXT    NOT NULL,
    format         TEXT    NOT NULL,
    width          INTEGER NOT NULL,
    height         INTEGER NOT NULL,
    bytes          INTEGER NOT NULL,
    sha256         TEXT    NOT NULL,
    seed           INTEGER,
    thumbnail_path TEXT,
    score          REAL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX ix_run_images_run_created ON run_images (run_id, created_at);

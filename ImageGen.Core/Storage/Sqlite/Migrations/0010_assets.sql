-- Images that go into the models: a brand's asset library and a work item's own uploads (one owner each), the
-- references a work item has chosen, which assets each brand revision had, and a warning per candidate (e.g. a
-- transparent background was asked for and the file is opaque). Files live under assets/ in the data folder,
-- named by content hash. used_at: when a job first sent the asset (an asset once used is retired, never deleted).
CREATE TABLE assets (
    id             INTEGER PRIMARY KEY,
    brand_id       INTEGER REFERENCES brands (id) ON DELETE CASCADE,
    work_item_id   INTEGER REFERENCES work_items (id) ON DELETE CASCADE,
    role           TEXT    NOT NULL CHECK (role IN ('logo', 'style', 'product', 'other')),
    note           TEXT    NOT NULL DEFAULT '',
    original_name  TEXT    NOT NULL DEFAULT '',
    path           TEXT    NOT NULL,
    thumbnail_path TEXT    NOT NULL,
    format         TEXT    NOT NULL,
    width          INTEGER NOT NULL,
    height         INTEGER NOT NULL,
    bytes          INTEGER NOT NULL,
    sha256         TEXT    NOT NULL,
    has_alpha      INTEGER NOT NULL DEFAULT 0,
    used_at        INTEGER,
    retired_at     INTEGER,
    created_at     INTEGER NOT NULL,
    CHECK ((brand_id IS NULL) <> (work_item_id IS NULL))
);
CREATE INDEX ix_assets_brand ON assets (brand_id, id);
CREATE INDEX ix_assets_work_item ON assets (work_item_id, id);
CREATE INDEX ix_assets_sha256 ON assets (sha256);

CREATE TABLE work_item_references (
    id           INTEGER PRIMARY KEY,
    work_item_id INTEGER NOT NULL REFERENCES work_items (id) ON DELETE CASCADE,
    asset_id     INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ux_work_item_references ON work_item_references (work_item_id, asset_id);
CREATE INDEX ix_work_item_references_asset ON work_item_references (asset_id);

ALTER TABLE brand_revisions ADD COLUMN asset_ids TEXT NOT NULL DEFAULT '';
ALTER TABLE run_images ADD COLUMN warning TEXT;

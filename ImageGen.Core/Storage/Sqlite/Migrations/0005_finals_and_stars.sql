-- The finals of a work item, newest last; replaced_at marks one that a later final replaced (history kept).
CREATE TABLE finals (
    id           INTEGER PRIMARY KEY,
    work_item_id INTEGER NOT NULL REFERENCES work_items (id) ON DELETE CASCADE,
    run_image_id INTEGER NOT NULL REFERENCES run_images (id) ON DELETE CASCADE,
    path         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    replaced_at  INTEGER
);
CREATE INDEX ix_finals_work_item ON finals (work_item_id, created_at DESC);

ALTER TABLE run_images ADD COLUMN starred INTEGER NOT NULL DEFAULT 0;

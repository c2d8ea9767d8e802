-- Pairwise picks between a work item's candidates. winner_image_id is NULL for a skip (kept, not ranked).
CREATE TABLE comparisons (
    id              INTEGER PRIMARY KEY,
    work_item_id    INTEGER NOT NULL REFERENCES work_items (id) ON DELETE CASCADE,
    left_image_id   INTEGER NOT NULL REFERENCES run_images (id) ON DELETE CASCADE,
    right_image_id  INTEGER NOT NULL REFERENCES run_images (id) ON DELETE CASCADE,
    winner_image_id INTEGER REFERENCES run_images (id) ON DELETE CASCADE,
    reason          TEXT,
    created_at      INTEGER NOT NULL,
    CHECK (left_image_id <> right_image_id),
    CHECK (winner_image_id IS NULL OR winner_image_id IN (left_image_id, right_image_id))
);
CREATE INDEX ix_comparisons_work_item ON comparisons (work_item_id, created_at);

-- Every saved version of a brand's text, so a run can say which one it used and a diff can show the change.
CREATE TABLE brand_revisions (
    id               INTEGER PRIMARY KEY,
    brand_id         INTEGER NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
    revision         INTEGER NOT NULL,
    name             TEXT    NOT NULL,
    content_markdown TEXT    NOT NULL,
    created_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_brand_revisions_brand_revision ON brand_revisions (brand_id, revision);
INSERT INTO brand_revisions (brand_id, revision, name, content_markdown, created_at)
SELECT id, 1, name, content_markdown, updated_at FROM brands;

ALTER TABLE runs ADD COLUMN brand_revision_id INTEGER REFERENCES brand_revisions (id) ON DELETE SET NULL;

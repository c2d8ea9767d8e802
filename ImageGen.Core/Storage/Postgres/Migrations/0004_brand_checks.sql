-- As SQLite 0012: each candidate's brand check (verdict, brand score, the checks as JSON).
ALTER TABLE run_images ADD COLUMN brand_verdict text CHECK (brand_verdict IN ('pass', 'warn', 'fail', 'unchecked'));
ALTER TABLE run_images ADD COLUMN brand_score double precision;
ALTER TABLE run_images ADD COLUMN brand_json text;
-- The search's brand filter and sort walk these, as the score sort walks ix_run_images_score.
CREATE INDEX ix_run_images_brand_score ON run_images (brand_score);
CREATE INDEX ix_run_images_brand_verdict ON run_images (brand_verdict, id);

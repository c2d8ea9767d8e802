-- The brand check of each candidate, made by the worker at ingest (docs/BRAND-CHECK.md): the overall verdict
-- (pass, warn, fail, unchecked; null when the run had no brand), the brand score 0–100 (the palette score, capped by a warning or a failure), and every check as JSON.
ALTER TABLE run_images ADD COLUMN brand_verdict TEXT CHECK (brand_verdict IN ('pass', 'warn', 'fail', 'unchecked'));
ALTER TABLE run_images ADD COLUMN brand_score REAL;
ALTER TABLE run_images ADD COLUMN brand_json TEXT;
-- The search's brand filter and sort walk these, as the score sort walks ix_run_images_score.
CREATE INDEX ix_run_images_brand_score ON run_images (brand_score);
CREATE INDEX ix_run_images_brand_verdict ON run_images (brand_verdict, id);

-- What the provider said about each run (the size sent, request ids, model version, usage, the seed note), its cost from
-- the price table (cost_usd, null when it could not be priced), how many images a run that stopped short is missing, and
-- the provider's own file kept beside a converted candidate.
ALTER TABLE runs ADD COLUMN provider_json TEXT;
ALTER TABLE runs ADD COLUMN cost_usd REAL;
ALTER TABLE runs ADD COLUMN missing INTEGER;
ALTER TABLE run_images ADD COLUMN original_path TEXT;

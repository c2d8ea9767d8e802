-- As SQLite 0011: the provider's facts per run, its cost, the images a short run is missing, the provider's own file.
ALTER TABLE runs ADD COLUMN provider_json text;
ALTER TABLE runs ADD COLUMN cost_usd double precision;
ALTER TABLE runs ADD COLUMN missing integer;
ALTER TABLE run_images ADD COLUMN original_path text;

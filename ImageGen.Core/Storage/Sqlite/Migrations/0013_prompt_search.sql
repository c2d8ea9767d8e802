-- Prompt search that grows with the data (CandidateSearch): FTS5 tables with the trigram tokenizer over runs' composed
-- prompts and work items' names and briefs. A trigram phrase query finds any substring of three characters or more,
-- case-insensitively, so the search keeps LIKE '%text%''s meaning while reading an index instead of every row.
-- External-content tables: the text stays in runs and work_items; these triggers keep the indexes in step.
CREATE VIRTUAL TABLE runs_fts USING fts5 (prompt, content = 'runs', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO runs_fts (runs_fts) VALUES ('rebuild');
CREATE TRIGGER runs_fts_insert AFTER INSERT ON runs BEGIN
    INSERT INTO runs_fts (rowid, prompt) VALUES (new.id, new.prompt);
END;
CREATE TRIGGER runs_fts_delete AFTER DELETE ON runs BEGIN
    INSERT INTO runs_fts (runs_fts, rowid, prompt) VALUES ('delete', old.id, old.prompt);
END;
CREATE TRIGGER runs_fts_update AFTER UPDATE OF prompt ON runs BEGIN
    INSERT INTO runs_fts (runs_fts, rowid, prompt) VALUES ('delete', old.id, old.prompt);
    INSERT INTO runs_fts (rowid, prompt) VALUES (new.id, new.prompt);
END;

CREATE VIRTUAL TABLE work_items_fts USING fts5 (name, prompt, content = 'work_items', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO work_items_fts (work_items_fts) VALUES ('rebuild');
CREATE TRIGGER work_items_fts_insert AFTER INSERT ON work_items BEGIN
    INSERT INTO work_items_fts (rowid, name, prompt) VALUES (new.id, new.name, new.prompt);
END;
CREATE TRIGGER work_items_fts_delete AFTER DELETE ON work_items BEGIN
    INSERT INTO work_items_fts (work_items_fts, rowid, name, prompt) VALUES ('delete', old.id, old.name, old.prompt);
END;
CREATE TRIGGER work_items_fts_update AFTER UPDATE OF name, prompt ON work_items BEGIN
    INSERT INTO work_items_fts (work_items_fts, rowid, name, prompt) VALUES ('delete', old.id, old.name, old.prompt);
    INSERT INTO work_items_fts (rowid, name, prompt) VALUES (new.id, new.name, new.prompt);
END;

-- A work item is "generating" only while one of its jobs is queued or running. When its last active job fails
-- or is canceled, it goes back to "review" if it has candidates, else to "draft"; a final stays final.
-- A trigger, so every path that ends a job (the worker's fenced failure, a cancel from the web app or the
-- worker, the lease reaper's "Worker lost") settles the item in the same transaction. Success moves the item
-- to "review" in the run's own transaction (RunStore.SucceedAsync).
CREATE TRIGGER work_item_settles_when_its_jobs_end
AFTER UPDATE OF status ON jobs
WHEN NEW.status IN ('failed', 'canceled') AND NEW.work_item_id IS NOT NULL
BEGIN
    UPDATE work_items
    SET status = CASE WHEN EXISTS (SELECT 1 FROM runs WHERE work_item_id = NEW.work_item_id AND status = 'succeeded')
                      THEN 'review' ELSE 'draft' END,
        updated_at = NEW.updated_at
    WHERE id = NEW.work_item_id
      AND status = 'generating'
      AND NOT EXISTS (SELECT 1 FROM jobs WHERE work_item_id = NEW.work_item_id AND status IN ('queued', 'running'));
END;

-- A work item's status follows its jobs. Triggers, so every path that queues or ends a job (a generate form,
-- "more like this", a retry, the worker's fenced failure, a cancel from the web app or the worker, the lease
-- reaper's "Worker lost") moves the item in the same transaction. A run's success moves the item to "review"
-- in the run's own transaction (RunStore.SucceedAsync); "final" is set by FinalStore and never undone here.

-- A job queued for the item: draft and review become generating.
CREATE TRIGGER work_item_generating_when_a_job_is_queued
AFTER INSERT ON jobs
WHEN NEW.status = 'queued' AND NEW.work_item_id IS NOT NULL
BEGIN
    UPDATE work_items SET status = 'generating', updated_at = NEW.created_at
    WHERE id = NEW.work_item_id AND status IN ('draft', 'review');
END;

-- The item's last queued or running job failed or was canceled: back to review if it has candidates, else draft.
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

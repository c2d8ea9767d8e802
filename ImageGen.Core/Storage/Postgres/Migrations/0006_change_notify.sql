-- Live pages without polling: every statement that changes jobs notifies 'imagegen_changes' when its transaction
-- commits (one notification per transaction; PostgreSQL folds repeats). The web app LISTENs on one connection and
-- wakes the pages' streams (ImageGen.Web/Services/LiveChanges.cs); SQLite has no equivalent and is read every 20 ms.
CREATE FUNCTION imagegen_notify_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('imagegen_changes', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER tr_jobs_notify AFTER INSERT OR UPDATE OR DELETE ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION imagegen_notify_changes();

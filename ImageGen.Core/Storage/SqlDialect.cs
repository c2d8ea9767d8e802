namespace ImageGen.Core.Storage;

/// <summary>
/// The few places where the read models' SQL differs between backends, as fragments they splice in. Everything else is
/// the SQL both SQLite and PostgreSQL speak (RETURNING, ON CONFLICT, partial indexes, <c>||</c>). Implemented in the
/// backend folders, in the manner of Quartz.NET's delegates.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>An ORDER BY term sorting <paramref name="column"/> without regard to case.</summary>
    public abstract string OrderIgnoringCase(string column);

    /// <summary>The case-insensitive LIKE operator (SQLite's LIKE already is, for ASCII; PostgreSQL's is ILIKE).</summary>
    public abstract string LikeIgnoringCase { get; }

    /// <summary>The text of top-level key <paramref name="key"/> of a JSON object stored as text in <paramref name="column"/>.</summary>
    public abstract string JsonText(string column, string key);

    /// <summary>
    /// An inner join that keeps the written table order (SQLite's CROSS JOIN, which its planner never reorders; a plain JOIN
    /// on PostgreSQL, whose planner is trusted with the order).
    /// </summary>
    public abstract string FixedOrderJoin { get; }

    /// <summary>
    /// A statement for the ids of runs whose prompt contains the search text, at most @DenseRuns, read from an index and
    /// stopping at the limit: SQLite matches @fts (a trigram phrase) in runs_fts; PostgreSQL runs ILIKE @like on the
    /// pg_trgm-indexed column. <paramref name="andWhere"/> narrows the runs (alias r). Texts under three characters have
    /// no trigram: CandidateSearch uses plain LIKE for those.
    /// </summary>
    public abstract string RunsWithText(string andWhere);

    /// <summary>As <see cref="RunsWithText"/>, for the runs of work items whose name or brief contains the text.</summary>
    public abstract string RunsOfWorkItemsWithText(string andWhere);

    /// <summary>A statement selecting <paramref name="select"/> (aliases w, p) for the newest 20 work items whose name or
    /// brief contains the text, from the index.</summary>
    public abstract string WorkItemsWithText(string select);

    /// <summary>A descending ORDER BY term with NULLs last (SQLite's default for DESC; PostgreSQL puts them first).</summary>
    public abstract string DescendingNullsLast(string column);

    /// <summary>
    /// <paramref name="column"/> is one of the list parameter <paramref name="parameter"/> (Dapper expands a list into
    /// <c>IN (…)</c> for SQLite, and passes it to Npgsql as one array, for <c>= ANY(…)</c>).
    /// </summary>
    public abstract string IsAnyOf(string column, string parameter);

    /// <summary>
    /// After rows were inserted with their own ids: the statement that moves <paramref name="table"/>'s id counter past them
    /// (PostgreSQL's identity sequence); null where none is needed (SQLite takes max(rowid) + 1).
    /// </summary>
    public virtual string? ResetIdentitySql(string table) => null;
}

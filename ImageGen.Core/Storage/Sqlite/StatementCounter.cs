using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ImageGen.Core.Storage.Sqlite;

/// <summary>
/// Counts the SQL statements SQLite itself starts, through <c>sqlite3_trace</c>, on connections opened while
/// it is attached to a <see cref="SqliteDatabase"/>. Used by tests that check a page's statement count does not grow
/// with its rows, and by the load measurement; never attached in normal running.
/// </summary>
public sealed class StatementCounter
{
    private long _count;

    // Held in a field so the delegate SQLite calls back into is never collected.
    private readonly strdelegate_trace _callback;

    // A connection's own settings (the pragmas run once per native connection, when the pool opens it) are not the
    // page's statements: counting them would make a page's count depend on whether the pool had a connection ready.
    /// <param name="record">Also keep each statement's text, its parameters filled in (SQLite's legacy trace expands them),
    /// so a test can ask SQLite how it runs them (EXPLAIN QUERY PLAN).</param>
    public StatementCounter(bool record = false)
    {
        _statements = record ? new System.Collections.Concurrent.ConcurrentQueue<string>() : null;
        _callback = (_, statement) =>
        {
            if (!statement.AsSpan().TrimStart().StartsWith("PRAGMA ", StringComparison.OrdinalIgnoreCase))
            {
                Interlocked.Increment(ref _count);
                _statements?.Enqueue(statement);
            }
        };
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<string>? _statements;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>The statements counted so far, in order, when made with <c>record: true</c>; empty otherwise.</summary>
    public IReadOnlyList<string> Statements => _statements?.ToArray() ?? [];

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        _statements?.Clear();
    }

    internal void Attach(SqliteConnection connection) => raw.sqlite3_trace(connection.Handle, _callback, null);
}

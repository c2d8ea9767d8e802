using System.Data;
using Dapper;

namespace ImageGen.Core.Storage;

/// <summary>How many rows of one table a copy found and wrote.</summary>
public sealed record TableCopy(string Table, long SourceRows, long TargetRows);

/// <summary>
/// Copies every table of one store into another, keeping ids (<c>imagegen db copy</c>): SQLite to PostgreSQL when a
/// team outgrows one file, or back. The target is brought to the current schema first and must hold no data; the copy
/// is one transaction on the target, so a failure leaves it as it was. Counts are compared table by table at the end.
/// </summary>
public static class StoreCopier
{
    /// <summary>Every table, parents before children, so each foreign key finds its row.</summary>
    public static IReadOnlyList<string> Tables { get; } =
    [
        "brands", "brand_revisions", "projects", "work_items", "assets", "work_item_references", "jobs", "runs", "run_images", "comparisons", "finals",
    ];

    public static async Task<IReadOnlyList<TableCopy>> CopyAsync(Database source, Database target, CancellationToken cancellationToken = default)
    {
        if (source.Describe == target.Describe)
        {
            throw new InvalidOperationException("The source and the target are the same store.");
        }
        await source.MigrateAsync(cancellationToken: cancellationToken);
        await target.MigrateAsync(cancellationToken: cancellationToken);
        foreach (var table in Tables)
        {
            if (await target.ReadAsync(c => c.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}"), cancellationToken) > 0)
            {
                throw new InvalidOperationException($"The target already holds data (table {table} has rows): copy only into an empty store.");
            }
        }

        await target.WriteAsync(async (c, t) =>
        {
            foreach (var table in Tables)
            {
                await CopyTableAsync(source, c, t, table, cancellationToken);
                if (target.Dialect.ResetIdentitySql(table) is { } reset)
                {
                    await c.ExecuteAsync(reset, transaction: t);
                }
            }
            // Queuing a copied job fires the target's "item is generating" rule: put every item's own status back.
            var items = await source.ReadAsync(s => s.QueryAsync<(long Id, string Status, long UpdatedAt)>("SELECT id, status, updated_at FROM work_items"), cancellationToken);
            await c.ExecuteAsync("UPDATE work_items SET status = @Status, updated_at = @UpdatedAt WHERE id = @Id",
                items.Select(i => new { i.Id, i.Status, i.UpdatedAt }), t);
            var control = await source.ReadAsync(s => s.QuerySingleAsync<(long Paused, long ChangedAt, string? ChangedBy)>(
                "SELECT paused, changed_at, changed_by FROM queue_control WHERE id = 1"), cancellationToken);
            await c.ExecuteAsync("UPDATE queue_control SET paused = @Paused, changed_at = @ChangedAt, changed_by = @ChangedBy WHERE id = 1",
                new { control.Paused, control.ChangedAt, control.ChangedBy }, t);
            return true;
        }, cancellationToken);

        var result = new List<TableCopy>();
        foreach (var table in Tables)
        {
            var sql = $"SELECT count(*) FROM {table}";
            result.Add(new TableCopy(table,
                await source.ReadAsync(c => c.ExecuteScalarAsync<long>(sql), cancellationToken),
                await target.ReadAsync(c => c.ExecuteScalarAsync<long>(sql), cancellationToken)));
        }
        if (result.FirstOrDefault(r => r.SourceRows != r.TargetRows) is { } mismatch)
        {
            throw new InvalidOperationException($"Table {mismatch.Table}: {mismatch.SourceRows} row(s) in the source but {mismatch.TargetRows} in the target.");
        }
        return result;
    }

    private static async Task CopyTableAsync(Database source, IDbConnection target, IDbTransaction transaction, string table, CancellationToken cancellationToken)
    {
        // Read the source in pages by id, so a large table never sits in memory whole.
        const int pageSize = 1000;
        long after = long.MinValue;
        string? insert = null;
        while (true)
        {
            var rows = (await source.ReadAsync(c => c.QueryAsync($"SELECT * FROM {table} WHERE id > @after ORDER BY id LIMIT {pageSize}", new { after }), cancellationToken))
                .Cast<IDictionary<string, object?>>()
                .ToList();
            if (rows.Count == 0)
            {
                return;
            }
            insert ??= InsertSql(table, rows[0].Keys);
            foreach (var row in rows)
            {
                var parameters = new DynamicParameters();
                foreach (var (column, value) in row)
                {
                    parameters.Add(column, value);
                }
                await target.ExecuteAsync(insert, parameters, transaction);
            }
            after = Convert.ToInt64(rows[^1]["id"], System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static string InsertSql(string table, ICollection<string> columns) =>
        $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "@" + c))})";
}

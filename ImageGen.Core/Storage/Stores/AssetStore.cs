using Dapper;
using ImageGen.Core.Catalog;
using ImageGen.Core.Generation;
using ImageGen.Core.Spec;
using ImageGen.Core.Assets;

namespace ImageGen.Core.Storage;

/// <summary>The roles an asset plays in a brand: what the model is told to take from it.</summary>
public static class AssetRoles
{
    public const string Logo = "logo";
    public const string Style = "style";
    public const string Product = "product";
    public const string Other = "other";

    public static IReadOnlyList<string> All { get; } = [Logo, Style, Product, Other];
}

/// <summary>One asset row: a brand's or a work item's image.</summary>
public sealed class Asset
{
    public long Id { get; init; }
    public long? BrandId { get; init; }
    public long? WorkItemId { get; init; }
    public string Role { get; init; } = AssetRoles.Other;
    public string Note { get; init; } = "";
    public string OriginalName { get; init; } = "";
    public string Path { get; init; } = "";
    public string ThumbnailPath { get; init; } = "";
    public string Format { get; init; } = "";
    public int Width { get; init; }
    public int Height { get; init; }
    public long Bytes { get; init; }
    public string Sha256 { get; init; } = "";
    public bool HasAlpha { get; init; }
    public long? UsedAt { get; init; }
    public long? RetiredAt { get; init; }
    public long CreatedAt { get; init; }

    /// <summary>Set by <see cref="AssetStore.ChoicesAsync"/>: the work item has it among its chosen references.</summary>
    public bool Selected { get; init; }

    public bool Retired => RetiredAt is not null;

    public InputFile ToInputFile() => new(Path, Sha256, Format, OriginalName) { AssetId = Id, Role = Role };
}

/// <summary>What happened to an asset asked to go.</summary>
public enum AssetRemoval
{
    NotFound,
    /// <summary>No job ever sent it: the row is gone (and its file, when no other asset shares it).</summary>
    Deleted,
    /// <summary>A job sent it: kept for the runs that name it, no longer offered.</summary>
    Retired,
}

/// <summary>
/// Brand assets and work item uploads in the database, and which of them each work item sends. A change to a brand's
/// active assets records a brand revision in the same transaction. An asset a job has sent is never deleted, only retired.
/// </summary>
public sealed class AssetStore(Database database, AssetIntake files, TimeProvider time)
{
    /// <summary>More assets than this on one brand or work item are refused: a library, not a dump.</summary>
    public const int MaxPerOwner = 100;

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Adds an asset to a brand (recording a revision) or to a work item (chosen for it at once).</summary>
    /// <returns>The new id, or null when the owner already has <see cref="MaxPerOwner"/> assets.</returns>
    public Task<long?> AddAsync(long? brandId, long? workItemId, AssetFile file, string role, string note, string originalName, CancellationToken cancellationToken = default)
    {
        if ((brandId is null) == (workItemId is null))
        {
            throw new ArgumentException("An asset belongs to a brand or to a work item.");
        }
        if (!AssetRoles.All.Contains(role))
        {
            throw new ArgumentException($"Unknown role '{role}'.", nameof(role));
        }
        return database.WriteAsync<long?>(async (c, t) =>
        {
            var count = await c.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM assets WHERE (brand_id = @brandId OR work_item_id = @workItemId) AND retired_at IS NULL", new { brandId, workItemId }, t);
            if (count >= MaxPerOwner)
            {
                return null;
            }
            var now = Now;
            var id = await c.ExecuteScalarAsync<long>("""
                INSERT INTO assets (brand_id, work_item_id, role, note, original_name, path, thumbnail_path, format, width, height, bytes, sha256, has_alpha, created_at)
                VALUES (@brandId, @workItemId, @role, @note, @originalName, @Path, @ThumbnailPath, @Format, @Width, @Height, @Bytes, @Sha256, @hasAlpha, @now)
                RETURNING id
                """, new { brandId, workItemId, role, note, originalName, file.Path, file.ThumbnailPath, file.Format, file.Width, file.Height, file.Bytes, file.Sha256, hasAlpha = file.HasAlpha ? 1 : 0, now }, t);
            if (brandId is { } brand)
            {
                await CatalogStore.AddRevisionAsync(c, t, brand, now);
            }
            else
            {
                await c.ExecuteAsync("INSERT INTO work_item_references (work_item_id, asset_id) VALUES (@workItemId, @id)", new { workItemId, id }, t);
            }
            return id;
        }, cancellationToken);
    }

    public Task<Asset?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Asset>("SELECT * FROM assets WHERE id = @id", new { id }), cancellationToken);

    /// <summary>A brand's assets, active first then retired, oldest first within each.</summary>
    public Task<IReadOnlyList<Asset>> ForBrandAsync(long brandId, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<Asset>>(async c => (await c.QueryAsync<Asset>(
            "SELECT * FROM assets WHERE brand_id = @brandId ORDER BY CASE WHEN retired_at IS NULL THEN 0 ELSE 1 END, id", new { brandId })).ToList(), cancellationToken);

    /// <summary>
    /// What a work item may send: the effective brand's active assets, then the item's own active uploads, each marked
    /// <see cref="Asset.Selected"/> when the item has chosen it.
    /// </summary>
    public Task<IReadOnlyList<Asset>> ChoicesAsync(WorkItemDetail item, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<Asset>>(async c => (await c.QueryAsync<Asset>("""
            SELECT a.*, CASE WHEN EXISTS (SELECT 1 FROM work_item_references r WHERE r.work_item_id = @itemId AND r.asset_id = a.id) THEN 1 ELSE 0 END AS selected
            FROM assets a
            WHERE a.retired_at IS NULL AND (a.brand_id = @brandId OR a.work_item_id = @itemId)
            ORDER BY CASE WHEN a.brand_id IS NULL THEN 1 ELSE 0 END, a.id
            """, new { itemId = item.Id, brandId = item.EffectiveBrandId })).ToList(), cancellationToken);

    /// <summary>
    /// Makes <paramref name="assetIds"/> the work item's chosen references and returns their files to snapshot into a job,
    /// in the order given, each marked as used (so it is retired rather than deleted from now on).
    /// </summary>
    /// <returns>The files, or the ids that are not choices of this item (another brand's, retired, unknown).</returns>
    public Task<(IReadOnlyList<InputFile> Files, IReadOnlyList<long> Refused)> UseAsync(WorkItemDetail item, IReadOnlyList<long> assetIds, CancellationToken cancellationToken = default) =>
        database.WriteAsync<(IReadOnlyList<InputFile>, IReadOnlyList<long>)>(async (c, t) =>
        {
            var ids = assetIds.Distinct().ToList();
            var choices = (await c.QueryAsync<Asset>(
                $"SELECT * FROM assets WHERE retired_at IS NULL AND (brand_id = @brandId OR work_item_id = @itemId) AND {database.Dialect.IsAnyOf("id", "@ids")}",
                new { itemId = item.Id, brandId = item.EffectiveBrandId, ids = ids.ToArray() }, t)).ToDictionary(a => a.Id);
            var refused = ids.Where(id => !choices.ContainsKey(id)).ToList();
            if (refused.Count > 0)
            {
                return ([], refused);
            }
            var now = Now;
            await c.ExecuteAsync("DELETE FROM work_item_references WHERE work_item_id = @itemId", new { itemId = item.Id }, t);
            await c.ExecuteAsync("INSERT INTO work_item_references (work_item_id, asset_id) VALUES (@itemId, @id)", ids.Select(id => new { itemId = item.Id, id }), t);
            await c.ExecuteAsync($"UPDATE assets SET used_at = @now WHERE used_at IS NULL AND {database.Dialect.IsAnyOf("id", "@ids")}", new { now, ids = ids.ToArray() }, t);
            return (ids.Select(id => choices[id].ToInputFile()).ToList(), []);
        }, cancellationToken);

    /// <summary>Deletes an asset no job has sent (and its file when nothing else shares it); retires one a job has sent.</summary>
    public async Task<AssetRemoval> RemoveAsync(long id, CancellationToken cancellationToken = default)
    {
        var (removal, orphan) = await database.WriteAsync<(AssetRemoval, Asset?)>(async (c, t) =>
        {
            var asset = await c.QuerySingleOrDefaultAsync<Asset>("SELECT * FROM assets WHERE id = @id", new { id }, t);
            if (asset is null)
            {
                return (AssetRemoval.NotFound, null);
            }
            var now = Now;
            AssetRemoval outcome;
            if (asset.UsedAt is null)
            {
                await c.ExecuteAsync("DELETE FROM assets WHERE id = @id", new { id }, t);
                outcome = AssetRemoval.Deleted;
            }
            else
            {
                await c.ExecuteAsync("UPDATE assets SET retired_at = @now WHERE id = @id AND retired_at IS NULL", new { id, now }, t);
                await c.ExecuteAsync("DELETE FROM work_item_references WHERE asset_id = @id", new { id }, t);
                outcome = AssetRemoval.Retired;
            }
            if (asset.BrandId is { } brandId)
            {
                await CatalogStore.AddRevisionAsync(c, t, brandId, now);
            }
            var shared = outcome == AssetRemoval.Deleted
                && await c.ExecuteScalarAsync<long>("SELECT count(*) FROM assets WHERE sha256 = @Sha256", new { asset.Sha256 }, t) > 0;
            return (outcome, outcome == AssetRemoval.Deleted && !shared ? asset : null);
        }, cancellationToken);
        if (orphan is not null)
        {
            files.Delete(orphan.Path, orphan.ThumbnailPath);
        }
        return removal;
    }
}

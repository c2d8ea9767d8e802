using Dapper;
using ImageGen.Core.Catalog;

namespace ImageGen.Core.Storage;

/// <summary>
/// Brands, projects and work items. Creates return null when the slug is taken (the unique index decides, so
/// two racing submits cannot both win). Lists are paged newest first by id. Multi-line text (style guides,
/// prompts, constraints) is stored with "\n" line ends whatever the client sent: browsers submit a textarea with
/// "\r\n", which would otherwise reach composed prompts, image metadata and exports.
/// </summary>
public sealed class CatalogStore(Database database, TimeProvider time)
{
    public const int PageSize = 50;

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string Lines(string text) => text.ReplaceLineEndings("\n");

    // Brands

    public Task<long?> CreateBrandAsync(string name, string slug, string description, string markdown, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (c, t) =>
        {
            var id = await c.ExecuteScalarAsync<long?>("""
                INSERT INTO brands (name, slug, description, content_markdown, created_at, updated_at)
                VALUES (@name, @slug, @description, @markdown, @now, @now)
                ON CONFLICT (slug) DO NOTHING
                RETURNING id
                """, new { name, slug, description, markdown = Lines(markdown), now = Now }, t);
            if (id is { } brandId)
            {
                await AddRevisionAsync(c, t, brandId, Now);
            }
            return id;
        }, cancellationToken);

    /// <summary>
    /// Records the brand's current name, text and active assets as its next revision, unless they equal the latest one.
    /// Called in the transaction of every change to any of them (the text here, the assets in <see cref="ImageGen.Core.Storage.AssetStore"/>).
    /// </summary>
    internal static async Task AddRevisionAsync(System.Data.IDbConnection c, System.Data.IDbTransaction t, long brandId, long now)
    {
        var assetIds = string.Join(",", await c.QueryAsync<long>(
            "SELECT id FROM assets WHERE brand_id = @brandId AND retired_at IS NULL ORDER BY id", new { brandId }, t));
        await c.ExecuteAsync("""
            INSERT INTO brand_revisions (brand_id, revision, name, content_markdown, asset_ids, created_at)
            SELECT b.id, COALESCE((SELECT max(revision) FROM brand_revisions WHERE brand_id = b.id), 0) + 1, b.name, b.content_markdown, @assetIds, @now
            FROM brands b
            WHERE b.id = @brandId AND NOT EXISTS (
                SELECT 1 FROM brand_revisions r WHERE r.brand_id = b.id AND r.name = b.name AND r.content_markdown = b.content_markdown
                  AND r.asset_ids = @assetIds
                  AND r.revision = (SELECT max(revision) FROM brand_revisions WHERE brand_id = b.id))
            """, new { brandId, assetIds, now }, t);
    }

    /// <returns>False when no brand has that id.</returns>
    public Task<bool> UpdateBrandAsync(long id, string name, string description, string markdown, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (c, t) =>
        {
            var updated = await c.ExecuteAsync("""
                UPDATE brands SET name = @name, description = @description, content_markdown = @markdown, updated_at = @now
                WHERE id = @id
                """, new { id, name, description, markdown = Lines(markdown), now = Now }, t) == 1;
            if (updated)
            {
                await AddRevisionAsync(c, t, id, Now);
            }
            return updated;
        }, cancellationToken);

    public Task<Brand?> GetBrandAsync(string slug, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Brand>("SELECT * FROM brands WHERE slug = @slug", new { slug }), cancellationToken);

    public Task<Page<Brand>> ListBrandsAsync(long? before, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async c => ToPage((await c.QueryAsync<Brand>($"""
            SELECT id, name, slug, description, '' AS content_markdown, created_at, updated_at FROM brands
            {SqlWhere.Of((before is not null, "id < @before"))} ORDER BY id DESC LIMIT @limit
            """, new { before, limit = PageSize + 1 })).ToList(), b => b.Id), cancellationToken);

    /// <summary>Every brand's id and name, for the brand pickers (brands are few: a style guide each).</summary>
    public Task<IReadOnlyList<(long Id, string Name)>> BrandChoicesAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<(long, string)>>(async c =>
            (await c.QueryAsync<(long, string)>($"SELECT id, name FROM brands ORDER BY {database.Dialect.OrderIgnoringCase("name")}, id LIMIT 1000")).ToList(), cancellationToken);

    // Projects

    public Task<long?> CreateProjectAsync(string name, string slug, long? defaultBrandId, CancellationToken cancellationToken = default) =>
        database.WriteAsync((c, t) => c.ExecuteScalarAsync<long?>("""
            INSERT INTO projects (name, slug, default_brand_id, created_at, updated_at)
            VALUES (@name, @slug, @defaultBrandId, @now, @now)
            ON CONFLICT (slug) DO NOTHING
            RETURNING id
            """, new { name, slug, defaultBrandId, now = Now }, t), cancellationToken);

    public Task<ProjectSummary?> GetProjectAsync(string slug, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<ProjectSummary>($"{ProjectSelect} WHERE p.slug = @slug", new { slug }), cancellationToken);

    public Task<Page<ProjectSummary>> ListProjectsAsync(long? before, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async c => ToPage((await c.QueryAsync<ProjectSummary>($"""
            {ProjectSelect}
            {SqlWhere.Of((before is not null, "p.id < @before"))} ORDER BY p.id DESC LIMIT @limit
            """, new { before, limit = PageSize + 1 })).ToList(), p => p.Id), cancellationToken);

    private const string ProjectSelect = """
        SELECT p.id, p.name, p.slug, p.default_brand_id, b.name AS default_brand_name, b.slug AS default_brand_slug,
               (SELECT count(*) FROM work_items w WHERE w.project_id = p.id) AS work_item_count, p.created_at
        FROM projects p LEFT JOIN brands b ON b.id = p.default_brand_id
        """;

    // Work items

    public Task<long?> CreateWorkItemAsync(long projectId, string name, string slug, string type, string prompt, string constraints, long? brandId, CancellationToken cancellationToken = default) =>
        database.WriteAsync((c, t) => c.ExecuteScalarAsync<long?>("""
            INSERT INTO work_items (project_id, name, slug, type, prompt, constraints, brand_id, created_at, updated_at)
            VALUES (@projectId, @name, @slug, @type, @prompt, @constraints, @brandId, @now, @now)
            ON CONFLICT (project_id, slug) DO NOTHING
            RETURNING id
            """, new { projectId, name, slug, type, prompt = Lines(prompt), constraints = Lines(constraints), brandId, now = Now }, t), cancellationToken);

    public Task<bool> UpdateWorkItemAsync(long id, string name, string type, string prompt, string constraints, long? brandId, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync("""
            UPDATE work_items SET name = @name, type = @type, prompt = @prompt, constraints = @constraints, brand_id = @brandId,
                                  updated_at = @now
            WHERE id = @id
            """, new { id, name, type, prompt = Lines(prompt), constraints = Lines(constraints), brandId, now = Now }, t) == 1, cancellationToken);

    public Task<Page<WorkItemSummary>> ListWorkItemsAsync(long projectId, long? before, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async c => ToPage((await c.QueryAsync<WorkItemSummary>($"""
            SELECT id, name, slug, type, status, updated_at FROM work_items
            {SqlWhere.Of((true, "project_id = @projectId"), (before is not null, "id < @before"))}
            ORDER BY id DESC LIMIT @limit
            """, new { projectId, before, limit = PageSize + 1 })).ToList(), w => w.Id), cancellationToken);

    public Task<WorkItemDetail?> GetWorkItemAsync(string projectSlug, string itemSlug, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<WorkItemDetail>("""
            SELECT w.id, w.project_id, p.name AS project_name, p.slug AS project_slug, w.name, w.slug, w.type, w.prompt,
                   w.constraints, w.status, w.brand_id, p.default_brand_id,
                   b.id AS effective_brand_id, b.name AS effective_brand_name, b.slug AS effective_brand_slug,
                   b.content_markdown AS effective_brand_markdown,
                   (SELECT max(id) FROM brand_revisions r WHERE r.brand_id = b.id) AS effective_brand_revision_id
            FROM projects p
            JOIN work_items w ON w.project_id = p.id AND w.slug = @itemSlug
            LEFT JOIN brands b ON b.id = COALESCE(w.brand_id, p.default_brand_id)
            WHERE p.slug = @projectSlug
            """, new { projectSlug, itemSlug }), cancellationToken);

    /// <summary>Fetches one more row than a page holds: its presence says there is a next page.</summary>
    private static Page<T> ToPage<T>(List<T> rows, Func<T, long> id) =>
        rows.Count > PageSize ? new Page<T>(rows[..PageSize], id(rows[PageSize - 1])) : new Page<T>(rows, null);
}

using System.Data;
using Dapper;
using ImageGen.Core.Storage;

namespace ImageGen.Core.Iteration;

public sealed record Pick(long Id, long LeftImageId, long RightImageId, long? WinnerImageId, string? Reason, long CreatedAt);

/// <param name="BrandVerdict">The candidate's brand check verdict; null when its run had no brand.</param>
/// <param name="BrandScore">Its brand score 0–100, shown beside the rank.</param>
public sealed record RankedCandidate(long ImageId, double Score, int Wins, int Losses, int Width, int Height, string Model, long RunId,
    string? BrandVerdict = null, double? BrandScore = null);

/// <summary>A work item's candidates, the picks made between them, and what to compare next.</summary>
public sealed record ComparisonState(IReadOnlyList<RankedCandidate> Candidates, IReadOnlyList<Pick> Picks)
{
    /// <param name="with">A candidate the pair must include (from the viewer's "compare"); ignored when it is not one.</param>
    public (long Left, long Right)? NextPair(long? with = null)
    {
        var compared = Picks.Select(p => p.LeftImageId < p.RightImageId ? (p.LeftImageId, p.RightImageId) : (p.RightImageId, p.LeftImageId)).ToHashSet();
        var last = Picks.Count > 0 ? (Picks[^1].LeftImageId, Picks[^1].RightImageId) : ((long, long)?)null;
        var standings = Candidates.Select(c => new CandidateStanding(c.ImageId,
            Picks.Count(p => p.LeftImageId == c.ImageId || p.RightImageId == c.ImageId), c.Score)).ToList();
        return (with is { } id ? PairChooser.With(id, standings, compared) : null) ?? PairChooser.Next(standings, compared, last);
    }
}

/// <summary>
/// Stores picks and keeps <c>run_images.score</c> equal to the Bradley–Terry fit of every pick of the work item,
/// recomputed in the transaction that records a pick. A work item has tens of candidates, so the full refit is cheap.
/// </summary>
public sealed class ComparisonStore(Database database, TimeProvider time)
{
    public const int MaxReasonLength = 500;

    public Task<ComparisonState> GetStateAsync(long workItemId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(c => LoadAsync(c, null, workItemId), cancellationToken);

    /// <summary>Records a pick (<paramref name="winnerImageId"/> null for a skip). False when an image is not a candidate of the item.</summary>
    public Task<bool> RecordAsync(long workItemId, long leftImageId, long rightImageId, long? winnerImageId, string? reason, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (c, t) =>
        {
            var state = await LoadAsync(c, t, workItemId);
            var ids = state.Candidates.Select(x => x.ImageId).ToHashSet();
            if (leftImageId == rightImageId || !ids.Contains(leftImageId) || !ids.Contains(rightImageId)
                || (winnerImageId is { } w && w != leftImageId && w != rightImageId))
            {
                return false;
            }
            await c.ExecuteAsync("""
                INSERT INTO comparisons (work_item_id, left_image_id, right_image_id, winner_image_id, reason, created_at)
                VALUES (@workItemId, @leftImageId, @rightImageId, @winnerImageId, @reason, @now)
                """, new { workItemId, leftImageId, rightImageId, winnerImageId, reason, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, t);
            var picks = state.Picks.Select(p => (p.WinnerImageId, Loser: p.WinnerImageId == p.LeftImageId ? p.RightImageId : p.LeftImageId)).ToList();
            if (winnerImageId is { } winner)
            {
                picks.Add((winner, winner == leftImageId ? rightImageId : leftImageId));
            }
            var scores = Ranking.Scores(ids, picks.Where(p => p.WinnerImageId is not null).Select(p => (p.WinnerImageId!.Value, p.Loser)).ToList());
            await c.ExecuteAsync("UPDATE run_images SET score = @Value WHERE id = @Key", scores.Select(s => new { s.Key, s.Value }), t);
            return true;
        }, cancellationToken);

    private sealed class RankRow
    {
        public long ImageId { get; init; }
        public double Score { get; init; }
        public long Width { get; init; }
        public long Height { get; init; }
        public string Model { get; init; } = "";
        public long RunId { get; init; }
        public string? BrandVerdict { get; init; }
        public double? BrandScore { get; init; }
    }

    private static async Task<ComparisonState> LoadAsync(IDbConnection connection, IDbTransaction? transaction, long workItemId)
    {
        using var results = await connection.QueryMultipleAsync("""
            SELECT i.id AS image_id, COALESCE(i.score, 1500.0) AS score, i.width, i.height, r.model, r.id AS run_id, i.brand_verdict, i.brand_score
            FROM run_images i JOIN runs r ON r.id = i.run_id
            WHERE r.work_item_id = @workItemId AND r.status = 'succeeded'
            ORDER BY i.id DESC LIMIT 500;

            SELECT id, left_image_id, right_image_id, winner_image_id, reason, created_at
            FROM comparisons WHERE work_item_id = @workItemId ORDER BY id;
            """, new { workItemId }, transaction);
        var rows = (await results.ReadAsync<RankRow>()).ToList();
        var picks = (await results.ReadAsync<Pick>()).ToList();
        var candidates = rows.Select(r => new RankedCandidate(r.ImageId, r.Score,
                picks.Count(p => p.WinnerImageId == r.ImageId),
                picks.Count(p => p.WinnerImageId is { } w && w != r.ImageId && (p.LeftImageId == r.ImageId || p.RightImageId == r.ImageId)),
                (int)r.Width, (int)r.Height, r.Model, r.RunId, r.BrandVerdict, r.BrandScore))
            .OrderByDescending(c => c.Score).ThenBy(c => c.ImageId)
            .ToList();
        return new ComparisonState(candidates, picks);
    }
}

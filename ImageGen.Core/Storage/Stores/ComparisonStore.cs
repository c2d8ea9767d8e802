using System.Data;
using Dapper;
using ImageGen.Core.BrandCheck;
using ImageGen.Core.Iteration;

namespace ImageGen.Core.Storage;

public sealed record Pick(long Id, long LeftImageId, long RightImageId, long? WinnerImageId, string? Reason, long CreatedAt);

/// <param name="BrandVerdict">The candidate's brand check verdict; null when its run had no brand.</param>
/// <param name="BrandScore">Its brand score 0–100, shown beside the rank.</param>
public sealed record RankedCandidate(long ImageId, double Score, int Wins, int Losses, int Width, int Height, string Model, long RunId,
    BrandVerdict? BrandVerdict = null, double? BrandScore = null);

/// <summary>A work item's candidates, the picks made between them, and what to compare next.</summary>
public sealed record ComparisonState(IReadOnlyList<RankedCandidate> Candidates, IReadOnlyList<Pick> Picks)
{
    /// <param name="with">A candidate the pair must include (from the viewer's "compare"); ignored when it is not one.</param>
    public (long Left, long Right)? NextPair(long? with = null)
    {
        var compared = Picks.Select(p => p.LeftImageId < p.RightImageId ? (p.LeftImageId, p.RightImageId) : (p.RightImageId, p.LeftImageId)).ToHashSet();
        var last = Picks.Count > 0 ? (Picks[^1].LeftImageId, Picks[^1].RightImageId) : ((long, long)?)null;
        var comparisons = Picks.SelectMany(p => new[] { p.LeftImageId, p.RightImageId }).CountBy(id => id).ToDictionary();
        var standings = Candidates.Select(c => new CandidateStanding(c.ImageId, comparisons.GetValueOrDefault(c.ImageId), c.Score)).ToList();
        return (with is { } id ? PairChooser.With(id, standings, compared) : null) ?? PairChooser.Next(standings, compared, last);
    }
}

/// <summary>
/// Stores picks and keeps <c>run_images.score</c> the Bradley–Terry posterior of the work item's picks
/// (<see cref="Ranking"/>): a pick updates its two candidates' scores from the picks they took part in, in the
/// transaction that records it, so its cost does not grow with the item's candidates. Compare and ranking see every
/// candidate of the item (there is no cap: an item with 2,000 candidates can have any two compared).
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
            if (leftImageId == rightImageId || (winnerImageId is { } w && w != leftImageId && w != rightImageId))
            {
                return false;
            }
            var candidates = await c.ExecuteScalarAsync<long>("""
                SELECT count(*) FROM run_images i JOIN runs r ON r.id = i.run_id
                WHERE i.id IN (@leftImageId, @rightImageId) AND r.work_item_id = @workItemId AND r.status = 'succeeded'
                """, new { leftImageId, rightImageId, workItemId }, t);
            if (candidates != 2)
            {
                return false;
            }
            await c.ExecuteAsync("""
                INSERT INTO comparisons (work_item_id, left_image_id, right_image_id, winner_image_id, reason, created_at)
                VALUES (@workItemId, @leftImageId, @rightImageId, @winnerImageId, @reason, @now)
                """, new { workItemId, leftImageId, rightImageId, winnerImageId, reason, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, t);
            if (winnerImageId is not { } winner)
            {
                return true; // a skip teaches nothing about strength
            }
            var loser = winner == leftImageId ? rightImageId : leftImageId;
            // Every decided pick either took part in (this one included), and the scores of everyone they met.
            var picks = (await c.QueryAsync<(long Winner, long Loser)>("""
                SELECT winner_image_id, CASE WHEN winner_image_id = left_image_id THEN right_image_id ELSE left_image_id END
                FROM comparisons
                WHERE work_item_id = @workItemId AND winner_image_id IS NOT NULL
                  AND (left_image_id IN (@winner, @loser) OR right_image_id IN (@winner, @loser))
                """, new { workItemId, winner, loser }, t)).ToList();
            var ids = picks.SelectMany(p => new[] { p.Winner, p.Loser }).Append(winner).Append(loser).Distinct().ToList();
            var scores = (await c.QueryAsync<(long Id, double Score)>(
                "SELECT id, COALESCE(score, 1500.0) FROM run_images WHERE id IN @ids", new { ids }, t)).ToDictionary(x => x.Id, x => x.Score);
            var (winnerScore, loserScore) = Ranking.Update(winner, loser, scores, picks);
            await c.ExecuteAsync("UPDATE run_images SET score = @Score WHERE id = @Id",
                new[] { new { Id = winner, Score = winnerScore }, new { Id = loser, Score = loserScore } }, t);
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
        public BrandVerdict? BrandVerdict { get; private set; }

        /// <summary>Dapper's way in: <c>run_images.brand_verdict</c> as stored, read by the one parser.</summary>
        private string? BrandVerdictText { init => BrandVerdict = BrandVerdicts.FromStored(value); }

        public double? BrandScore { get; init; }
    }

    private static async Task<ComparisonState> LoadAsync(IDbConnection connection, IDbTransaction? transaction, long workItemId)
    {
        using var results = await connection.QueryMultipleAsync("""
            SELECT i.id AS image_id, COALESCE(i.score, 1500.0) AS score, i.width, i.height, r.model, r.id AS run_id, i.brand_verdict AS brand_verdict_text, i.brand_score
            FROM run_images i JOIN runs r ON r.id = i.run_id
            WHERE r.work_item_id = @workItemId AND r.status = 'succeeded'
            ORDER BY i.id DESC;

            SELECT id, left_image_id, right_image_id, winner_image_id, reason, created_at
            FROM comparisons WHERE work_item_id = @workItemId ORDER BY id;
            """, new { workItemId }, transaction);
        var rows = (await results.ReadAsync<RankRow>()).ToList();
        var picks = (await results.ReadAsync<Pick>()).ToList();
        var wins = picks.Where(p => p.WinnerImageId is not null).CountBy(p => p.WinnerImageId!.Value).ToDictionary();
        var losses = picks.Where(p => p.WinnerImageId is not null)
            .CountBy(p => p.WinnerImageId == p.LeftImageId ? p.RightImageId : p.LeftImageId).ToDictionary();
        var candidates = rows.Select(r => new RankedCandidate(r.ImageId, r.Score, wins.GetValueOrDefault(r.ImageId), losses.GetValueOrDefault(r.ImageId),
                (int)r.Width, (int)r.Height, r.Model, r.RunId, r.BrandVerdict, r.BrandScore))
            .OrderByDescending(c => c.Score).ThenBy(c => c.ImageId)
            .ToList();
        return new ComparisonState(candidates, picks);
    }
}

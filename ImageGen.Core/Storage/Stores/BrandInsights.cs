using System.Text.RegularExpressions;
using Dapper;
using ImageGen.Core.BrandCheck;

namespace ImageGen.Core.Storage;

/// <summary>
/// What the picks say across a brand's work items (docs/BRAND-CHECK.md): which brand verdicts, checks and models win
/// comparisons, the words most used in pick reasons, and whether candidates made under a newer brand revision beat those of
/// an older one head to head. Two statements; the counting is done here over the brand's decided picks.
/// </summary>
public sealed partial class BrandInsights(Database database)
{
    /// <summary>Fewest head-to-head picks before any difference is claimed.</summary>
    public const int MinPicks = 10;

    /// <summary>Two-sided exact binomial p below which a difference is claimed.</summary>
    public const double Significance = 0.05;

    /// <summary>Most picks read (the newest): enough for any brand, bounded for the page.</summary>
    public const int MaxPicks = 20_000;

    /// <summary>The most common words of pick reasons shown.</summary>
    public const int TopWords = 15;

    /// <summary>Shortest word of a pick reason counted.</summary>
    public const int MinWordLength = 3;

    private sealed class PickRow
    {
        public long WinnerImageId { get; init; }
        public long LeftImageId { get; init; }
        public string? Reason { get; init; }
        public BrandVerdict? LeftVerdict { get; private set; }
        public BrandVerdict? RightVerdict { get; private set; }

        /// <summary>Dapper's way in for the stored words (<c>brand_verdict</c>), read by the one parser.</summary>
        private string? LeftVerdictText { init => LeftVerdict = BrandVerdicts.FromStored(value); }

        private string? RightVerdictText { init => RightVerdict = BrandVerdicts.FromStored(value); }
        public string? LeftJson { get; init; }
        public string? RightJson { get; init; }
        public string LeftModel { get; init; } = "";
        public string RightModel { get; init; } = "";
        public long? LeftRevision { get; init; }
        public long? RightRevision { get; init; }
    }

    /// <param name="older">The revision id to compare from; with <paramref name="newer"/>, else the two newest revisions that met.</param>
    public async Task<BrandInsightReport> ForBrandAsync(long brandId, long? older = null, long? newer = null, CancellationToken cancellationToken = default)
    {
        var (picks, revisions) = await database.ReadAsync(async c =>
        {
            // Decided picks where both candidates were made under a revision of this brand.
            var picks = (await c.QueryAsync<PickRow>("""
                SELECT cmp.winner_image_id, cmp.left_image_id, cmp.reason,
                       li.brand_verdict AS left_verdict_text, ri.brand_verdict AS right_verdict_text, li.brand_json AS left_json, ri.brand_json AS right_json,
                       lr.model AS left_model, rr.model AS right_model, lr.brand_revision_id AS left_revision, rr.brand_revision_id AS right_revision
                FROM comparisons cmp
                JOIN run_images li ON li.id = cmp.left_image_id JOIN runs lr ON lr.id = li.run_id
                JOIN run_images ri ON ri.id = cmp.right_image_id JOIN runs rr ON rr.id = ri.run_id
                WHERE cmp.winner_image_id IS NOT NULL
                  AND lr.brand_revision_id IN (SELECT id FROM brand_revisions WHERE brand_id = @brandId)
                  AND rr.brand_revision_id IN (SELECT id FROM brand_revisions WHERE brand_id = @brandId)
                ORDER BY cmp.id DESC LIMIT @MaxPicks
                """, new { brandId, MaxPicks })).ToList();
            var revisions = (await c.QueryAsync<(long Id, int Revision, long CreatedAt)>(
                "SELECT id, revision, created_at FROM brand_revisions WHERE brand_id = @brandId ORDER BY revision", new { brandId })).ToList();
            return (picks, revisions);
        }, cancellationToken);

        var verdicts = new Dictionary<BrandVerdict, (int Wins, int Picks)>();
        (int Wins, int Picks) neverChecked = (0, 0);
        var models = new Dictionary<string, (int Wins, int Picks)>();
        var checks = new Dictionary<string, (int PassWins, int Picks)>();
        var revisionPicks = new Dictionary<long, int>();
        var words = new Dictionary<string, int>();
        foreach (var pick in picks)
        {
            var leftWon = pick.WinnerImageId == pick.LeftImageId;
            foreach (var (verdict, won) in new[] { (pick.LeftVerdict, leftWon), (pick.RightVerdict, !leftWon) })
            {
                if (verdict is { } v)
                {
                    Count(verdicts, v, won);
                }
                else
                {
                    neverChecked = (neverChecked.Wins + (won ? 1 : 0), neverChecked.Picks + 1);
                }
            }
            Count(models, pick.LeftModel, leftWon);
            Count(models, pick.RightModel, !leftWon);
            foreach (var revision in new[] { pick.LeftRevision, pick.RightRevision }.OfType<long>())
            {
                revisionPicks[revision] = revisionPicks.GetValueOrDefault(revision) + 1;
            }
            var left = Verdicts(pick.LeftJson);
            var right = Verdicts(pick.RightJson);
            foreach (var name in left.Keys.Intersect(right.Keys))
            {
                // Only picks that split on the check say anything about it.
                var (l, r) = (left[name], right[name]);
                if ((l == BrandVerdict.Pass) == (r == BrandVerdict.Pass))
                {
                    continue;
                }
                var passWon = (l == BrandVerdict.Pass) == leftWon;
                var (wins, count) = checks.GetValueOrDefault(name);
                checks[name] = (wins + (passWon ? 1 : 0), count + 1);
            }
            foreach (var word in Words(pick.Reason))
            {
                words[word] = words.GetValueOrDefault(word) + 1;
            }
        }

        var revisionInfos = revisions.Select(r => new RevisionInfo(r.Id, r.Revision, r.CreatedAt, revisionPicks.GetValueOrDefault(r.Id))).ToList();
        return new BrandInsightReport(
            picks.Count,
            verdicts.Select(v => new VerdictWins(v.Key, v.Value.Wins, v.Value.Picks))
                .Concat(neverChecked.Picks > 0 ? [new VerdictWins(null, neverChecked.Wins, neverChecked.Picks)] : [])
                .OrderByDescending(v => v.Share).ThenByDescending(v => v.Picks).ThenBy(v => v.Verdict).ToList(),
            checks.Select(c => new CheckWins(c.Key, c.Value.PassWins, c.Value.Picks, BinomialPValue(c.Value.PassWins, c.Value.Picks)))
                .OrderByDescending(c => c.Picks).ThenBy(c => c.Check, StringComparer.Ordinal).ToList(),
            Ranked(models),
            words.OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal).Take(TopWords).Select(w => (w.Key, w.Value)).ToList(),
            revisionInfos,
            Duel(picks, revisionInfos, older, newer));
    }

    private static RevisionDuel? Duel(List<PickRow> picks, List<RevisionInfo> revisions, long? olderId, long? newerId)
    {
        var byId = revisions.ToDictionary(r => r.Id);
        var heads = picks.Where(p => p.LeftRevision is not null && p.RightRevision is not null && p.LeftRevision != p.RightRevision).ToList();
        RevisionInfo? older = null, newer = null;
        if (olderId is { } o && newerId is { } n && byId.TryGetValue(o, out var a) && byId.TryGetValue(n, out var b) && a.Id != b.Id)
        {
            (older, newer) = a.Revision < b.Revision ? (a, b) : (b, a);
        }
        else
        {
            // The newest pair of revisions that met head to head.
            var met = heads.Select(p => (Math.Min(byId[p.LeftRevision!.Value].Revision, byId[p.RightRevision!.Value].Revision),
                                         Math.Max(byId[p.LeftRevision!.Value].Revision, byId[p.RightRevision!.Value].Revision)))
                .Distinct().OrderByDescending(pair => pair.Item2).ThenByDescending(pair => pair.Item1).FirstOrDefault();
            if (met == default)
            {
                return revisions.Count >= 2 ? new RevisionDuel(revisions[^2], revisions[^1], 0, 0, 1) : null;
            }
            older = revisions.Single(r => r.Revision == met.Item1);
            newer = revisions.Single(r => r.Revision == met.Item2);
        }
        var duel = heads.Where(p => (p.LeftRevision == older.Id && p.RightRevision == newer.Id) || (p.LeftRevision == newer.Id && p.RightRevision == older.Id)).ToList();
        var newerWins = duel.Count(p => (p.WinnerImageId == p.LeftImageId) == (p.LeftRevision == newer.Id));
        return new RevisionDuel(older, newer, newerWins, duel.Count, BinomialPValue(newerWins, duel.Count));
    }

    private static void Count<TKey>(Dictionary<TKey, (int Wins, int Picks)> counts, TKey key, bool won) where TKey : notnull
    {
        var (wins, picks) = counts.GetValueOrDefault(key);
        counts[key] = (wins + (won ? 1 : 0), picks + 1);
    }

    private static List<WinCount> Ranked(Dictionary<string, (int Wins, int Picks)> counts) =>
        counts.Select(c => new WinCount(c.Key, c.Value.Wins, c.Value.Picks))
            .OrderByDescending(c => c.Share).ThenByDescending(c => c.Picks).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();

    /// <summary>Each judged check's verdict (pass, warn, fail) of a stored result.</summary>
    private static Dictionary<string, BrandVerdict> Verdicts(string? json) =>
        BrandCheckResult.FromJson(json)?.Checks
            .Where(c => c.Verdict.IsJudged())
            .GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First().Verdict) ?? [];

    [GeneratedRegex(@"\p{L}[\p{L}'’-]*")]
    private static partial Regex Word();

    /// <summary>Words that say nothing about why a candidate won.</summary>
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "but", "with", "this", "that", "than", "its", "it's", "more", "less", "too", "very", "are", "was",
        "has", "have", "not", "one", "other", "better", "looks", "look", "just", "also", "from", "into", "there", "here",
        "which", "what", "much", "feels", "feel", "is", "a", "an", "of", "to", "in", "on", "it", "be", "as", "at", "or",
    };

    /// <summary>The distinct words of a reason, lower-cased, three letters or more, without the stop words.</summary>
    internal static IEnumerable<string> Words(string? reason) =>
        string.IsNullOrWhiteSpace(reason)
            ? []
            : Word().Matches(reason.ToLowerInvariant()).Select(m => m.Value.Trim('\'', '’', '-'))
                .Where(w => w.Length >= MinWordLength && !StopWords.Contains(w)).Distinct();

    /// <summary>Exact two-sided binomial test against 1/2: the chance of a split at least this uneven by luck alone.</summary>
    public static double BinomialPValue(int successes, int trials)
    {
        if (trials == 0)
        {
            return 1;
        }
        var extreme = Math.Max(successes, trials - successes);
        if (extreme * 2 == trials)
        {
            return 1;
        }
        // P(X >= extreme) for X ~ Binomial(trials, 1/2), each term from the last in log space so large counts do not overflow.
        var logTerm = LogChoose(trials, extreme) - (trials * Math.Log(2));
        double tail = 0;
        for (var k = extreme; k <= trials; k++)
        {
            tail += Math.Exp(logTerm);
            logTerm += Math.Log(trials - k) - Math.Log(k + 1);
        }
        return Math.Min(1, 2 * tail);
    }

    private static double LogChoose(int n, int k)
    {
        double sum = 0;
        for (var i = 1; i <= k; i++)
        {
            sum += Math.Log(n - k + i) - Math.Log(i);
        }
        return sum;
    }
}

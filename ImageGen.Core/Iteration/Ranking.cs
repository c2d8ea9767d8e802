namespace ImageGen.Core.Iteration;

/// <summary>
/// Bradley–Terry scores from pairwise picks: the maximum a posteriori strengths, fitted with Hunter's MM algorithm.
/// Each candidate also plays one virtual win and one virtual loss against an average opponent (strength 1, score
/// 1500): a prior that keeps a candidate with only wins (or only losses, or a single comparison) finite and close to the
/// middle until evidence piles up, and that anchors the scale, so scores need no re-centring and one candidate's score
/// can be updated without touching the others. Scores are on an Elo-like scale: +400 means ten-to-one odds of being picked.
/// </summary>
public static class Ranking
{
    public const double Average = 1500;
    private const int Iterations = 200;

    /// <summary>Coordinate sweeps over the two candidates of a pick in <see cref="Update"/>.</summary>
    public const int UpdateSweeps = 25;

    /// <summary>The full fit: every candidate's score from every pick (the reference <see cref="Update"/> follows).</summary>
    public static IReadOnlyDictionary<long, double> Scores(IReadOnlyCollection<long> candidates, IReadOnlyList<(long Winner, long Loser)> picks)
    {
        var ids = candidates.Distinct().ToList();
        var index = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var n = ids.Count;
        var wins = new double[n];
        var games = new double[n, n];
        foreach (var (winner, loser) in picks)
        {
            if (!index.TryGetValue(winner, out var w) || !index.TryGetValue(loser, out var l) || w == l)
            {
                continue;
            }
            wins[w]++;
            games[w, l]++;
            games[l, w]++;
        }

        var strength = Enumerable.Repeat(1.0, n).ToArray();
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var next = new double[n];
            for (var i = 0; i < n; i++)
            {
                // The prior: one win and one loss against a virtual opponent of strength 1.
                var denominator = 2 / (strength[i] + 1);
                for (var j = 0; j < n; j++)
                {
                    if (games[i, j] > 0)
                    {
                        denominator += games[i, j] / (strength[i] + strength[j]);
                    }
                }
                next[i] = (wins[i] + 1) / denominator;
            }
            strength = next;
        }
        return ids.Select((id, i) => (id, score: ToScore(strength[i]))).ToDictionary(x => x.id, x => x.score);
    }

    /// <summary>
    /// One pick's update, in time that grows with the picks its two candidates took part in, not with the item's
    /// candidates: MM steps for the winner and the loser alone (coordinate ascent of the same posterior
    /// <see cref="Scores"/> maximises), every other score held. <paramref name="scores"/> holds the current scores of
    /// both and of every opponent they met (a missing one is the average); <paramref name="picks"/> every pick that
    /// involves either, this one included. Returns the two new scores.
    /// </summary>
    public static (double Winner, double Loser) Update(long winner, long loser, IReadOnlyDictionary<long, double> scores,
        IReadOnlyList<(long Winner, long Loser)> picks)
    {
        var strength = new Dictionary<long, double>();
        double Strength(long id) => strength.TryGetValue(id, out var s) ? s
            : strength[id] = scores.TryGetValue(id, out var score) ? FromScore(score) : 1.0;
        var own = picks.Where(p => p.Winner != p.Loser).ToList();
        for (var sweep = 0; sweep < UpdateSweeps; sweep++)
        {
            foreach (var id in (ReadOnlySpan<long>)[winner, loser])
            {
                var mine = Strength(id);
                double wins = 0, denominator = 2 / (mine + 1);
                foreach (var (w, l) in own)
                {
                    if (w == id || l == id)
                    {
                        wins += w == id ? 1 : 0;
                        denominator += 1 / (mine + Strength(w == id ? l : w));
                    }
                }
                strength[id] = (wins + 1) / denominator;
            }
        }
        return (ToScore(strength[winner]), ToScore(strength[loser]));
    }

    private static double ToScore(double strength) => Math.Round(Average + (400 * Math.Log10(strength)), 1);

    private static double FromScore(double score) => Math.Pow(10, (score - Average) / 400);
}

/// <summary>A candidate as the pair chooser sees it.</summary>
public sealed record CandidateStanding(long ImageId, int Comparisons, double Score);

/// <summary>
/// Chooses the next pair to show: the least-compared candidate first (unseen ones before any other), against the
/// opponent that teaches most, which is one not yet compared with it, with few comparisons and the closest score.
/// Never the same candidate twice; never the pair just shown when there is another.
/// </summary>
public static class PairChooser
{
    /// <summary>How many of the best candidates after the leader it must meet before the ranking's top is settled.</summary>
    public const int StrongCandidates = 3;

    /// <summary>The next pair that includes <paramref name="imageId"/> (the viewer's "compare"): its closest-scored opponent it has not met, else any.</summary>
    public static (long Left, long Right)? With(long imageId, IReadOnlyList<CandidateStanding> candidates, IReadOnlySet<(long, long)> comparedPairs)
    {
        if (candidates.FirstOrDefault(c => c.ImageId == imageId) is not { } me || candidates.Count < 2)
        {
            return null;
        }
        var opponent = candidates.Where(c => c.ImageId != imageId)
            .OrderBy(c => comparedPairs.Contains(imageId < c.ImageId ? (imageId, c.ImageId) : (c.ImageId, imageId)) ? 1 : 0)
            .ThenBy(c => Math.Abs(c.Score - me.Score))
            .ThenBy(c => c.ImageId)
            .First();
        return (imageId, opponent.ImageId);
    }

    public static (long Left, long Right)? Next(IReadOnlyList<CandidateStanding> candidates, IReadOnlySet<(long, long)> comparedPairs, (long, long)? lastPair = null)
    {
        if (candidates.Count < 2)
        {
            return null;
        }
        static (long, long) Key(long a, long b) => a < b ? (a, b) : (b, a);
        // Once every candidate has been seen at least once, the leader must meet the other strong candidates: the best
        // of the top few it has not met yet (and not the pair just shown) comes next, so the top of the ranking is
        // decided by picks between the top, not by who happened to meet weak candidates.
        if (candidates.All(c => c.Comparisons > 0))
        {
            var ranked = candidates.OrderByDescending(c => c.Score).ThenBy(c => c.ImageId).ToList();
            var leader = ranked[0];
            var contender = ranked.Skip(1).Take(StrongCandidates)
                .FirstOrDefault(c => !comparedPairs.Contains(Key(leader.ImageId, c.ImageId))
                    && !(lastPair is { } shown && Key(leader.ImageId, c.ImageId) == Key(shown.Item1, shown.Item2)));
            if (contender is not null)
            {
                return (leader.ImageId, contender.ImageId);
            }
        }
        var first = candidates.OrderBy(c => c.Comparisons).ThenBy(c => c.ImageId).First();
        var opponents = candidates
            .Where(c => c.ImageId != first.ImageId)
            .OrderBy(c => lastPair is { } last && Key(first.ImageId, c.ImageId) == Key(last.Item1, last.Item2) ? 1 : 0)
            .ThenBy(c => comparedPairs.Contains(Key(first.ImageId, c.ImageId)) ? 1 : 0)
            .ThenBy(c => c.Comparisons)
            .ThenBy(c => Math.Abs(c.Score - first.Score))
            .ThenBy(c => c.ImageId);
        var second = opponents.First();
        return (first.ImageId, second.ImageId);
    }
}

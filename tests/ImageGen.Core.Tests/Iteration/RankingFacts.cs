using ImageGen.Core.Iteration;

namespace ImageGen.Core.Tests.Iteration;

public sealed class RankingFacts
{
    [Fact]
    public void Scores_AConsistentOrderOfPicks_RanksInThatOrder()
    {
        // a beats everyone, b beats c and d, c beats d.
        (long, long)[] picks = [(1, 2), (1, 3), (1, 4), (2, 3), (2, 4), (3, 4), (1, 2), (2, 3)];

        var scores = Ranking.Scores([1, 2, 3, 4], picks);

        Assert.Equal([1L, 2L, 3L, 4L], scores.OrderByDescending(s => s.Value).Select(s => s.Key));
        Assert.True(scores[1] > 1500 && scores[4] < 1500);
        Assert.InRange(scores.Values.Average(), 1400, 1600); // the prior's average opponent anchors the scale
    }

    [Fact]
    public void Update_AfterEachPick_StaysCloseToTheFullFit()
    {
        // 40 candidates, 120 picks in a random order from a hidden true order (the better wins 80 % of the time).
        var random = new Random(18);
        var stored = new Dictionary<long, double>();
        var picks = new List<(long Winner, long Loser)>();
        for (var i = 0; i < 120; i++)
        {
            long a = random.Next(1, 41), b = random.Next(1, 41);
            if (a == b)
            {
                continue;
            }
            var (better, worse) = a < b ? (a, b) : (b, a);
            var pick = random.NextDouble() < 0.8 ? (better, worse) : (worse, better);
            picks.Add(pick);
            var (winner, loser) = Ranking.Update(pick.Item1, pick.Item2, stored, picks.Where(p => p.Winner == pick.Item1 || p.Loser == pick.Item1 || p.Winner == pick.Item2 || p.Loser == pick.Item2).ToList());
            stored[pick.Item1] = winner;
            stored[pick.Item2] = loser;
        }

        var full = Ranking.Scores(Enumerable.Range(1, 40).Select(i => (long)i).ToList(), picks);

        // Each score within 60 points of the full fit, and the two orders agree closely (Spearman's rho).
        Assert.All(full, s => Assert.InRange(stored.GetValueOrDefault(s.Key, Ranking.Average) - s.Value, -60, 60));
        var fullRank = full.OrderByDescending(s => s.Value).Select((s, i) => (s.Key, i)).ToDictionary(x => x.Key, x => (double)x.i);
        var keptRank = full.Keys.OrderByDescending(k => stored.GetValueOrDefault(k, Ranking.Average)).Select((k, i) => (k, i)).ToDictionary(x => x.k, x => (double)x.i);
        var rho = 1 - (6 * fullRank.Sum(r => Math.Pow(r.Value - keptRank[r.Key], 2)) / (40.0 * ((40 * 40) - 1)));
        Assert.True(rho > 0.95, $"Spearman's rho {rho:F3}");
    }

    [Fact]
    public void Update_ReadsOnlyThePicksItIsGiven()
    {
        // The pick's two candidates and the one earlier opponent of the winner: the rest of the item plays no part.
        var scores = new Dictionary<long, double> { [1] = 1500, [2] = 1500, [3] = 1600 };

        var (winner, loser) = Ranking.Update(1, 2, scores, [(1, 2), (3, 1)]);

        Assert.True(winner > loser);
        Assert.InRange(loser - Ranking.Scores([1, 2, 3], [(1, 2), (3, 1)])[2], -10, 10); // within 10 points of the full fit
    }

    [Fact]
    public void Scores_NoPicks_GiveEveryoneTheAverage()
    {
        var scores = Ranking.Scores([7, 8, 9], []);

        Assert.All(scores.Values, s => Assert.Equal(1500, s));
    }

    [Fact]
    public void Scores_ASingleComparison_StaysFiniteAndModest()
    {
        var scores = Ranking.Scores([1, 2], [(1, 2)]);

        Assert.True(scores[1] > scores[2]);
        Assert.InRange(scores[1] - scores[2], 50, 400); // the prior keeps one pick from looking decisive
        Assert.All(scores.Values, s => Assert.True(double.IsFinite(s)));
    }

    [Fact]
    public void Scores_EqualRecords_AreTies()
    {
        // A cycle: each wins once and loses once.
        var scores = Ranking.Scores([1, 2, 3], [(1, 2), (2, 3), (3, 1)]);

        Assert.Equal(scores[1], scores[2]);
        Assert.Equal(scores[2], scores[3]);
    }

    [Fact]
    public void Scores_IgnorePicksOfUnknownOrSameCandidates()
    {
        var scores = Ranking.Scores([1, 2], [(1, 99), (2, 2)]);

        Assert.Equal(scores[1], scores[2]);
    }
}

public sealed class PairChooserFacts
{
    private static CandidateStanding C(long id, int comparisons = 0, double score = 1500) => new(id, comparisons, score);

    [Fact]
    public void Next_NeverOffersTheSameCandidateTwice()
    {
        var pair = PairChooser.Next([C(1), C(2)], new HashSet<(long, long)>())!.Value;

        Assert.NotEqual(pair.Left, pair.Right);
    }

    [Fact]
    public void Next_PrefersUnseenCandidates()
    {
        var pair = PairChooser.Next([C(1, 5, 1600), C(2, 4, 1450), C(3), C(4)], new HashSet<(long, long)>())!.Value;

        Assert.Equal((3L, 4L), pair);
    }

    [Fact]
    public void Next_AmongSeenOnes_PrefersAnUncomparedPairWithCloseScores()
    {
        var compared = new HashSet<(long, long)> { (1, 2) };

        var pair = PairChooser.Next([C(1, 1, 1550), C(2, 1, 1450), C(3, 2, 1540), C(4, 2, 1300)], compared)!.Value;

        Assert.Equal((1L, 3L), pair); // 2 was already compared with 1; 3 is closer in score than 4
    }

    [Fact]
    public void Next_DoesNotRepeatTheLastPair_WhenThereIsAnother()
    {
        var compared = new HashSet<(long, long)> { (1, 2), (1, 3) };

        var pair = PairChooser.Next([C(1, 2), C(2, 2), C(3, 2)], compared, lastPair: (2, 1))!.Value;

        Assert.NotEqual((1L, 2L), pair);
    }

    [Fact]
    public void Next_WithFewerThanTwoCandidates_IsNull()
    {
        Assert.Null(PairChooser.Next([C(1)], new HashSet<(long, long)>()));
    }

    [Fact]
    public void OnceEveryCandidateWasSeen_TheLeaderMeetsTheStrongCandidatesItHasNotMet()
    {
        // 1 leads; 2 and 3 are next; 1 has met only 4 (a weak one). Everyone has been compared at least once.
        CandidateStanding[] standings = [new(1, 2, 1700), new(2, 1, 1650), new(3, 1, 1600), new(4, 2, 1300), new(5, 1, 1250)];
        var compared = new HashSet<(long, long)> { (1, 4), (2, 5), (3, 4) };

        Assert.Equal((1L, 2L), PairChooser.Next(standings, compared));
        compared.Add((1, 2));
        Assert.Equal((1L, 3L), PairChooser.Next(standings, compared));
        // Just shown: not again at once.
        Assert.NotEqual((1L, 3L), PairChooser.Next(standings, compared, (3, 1)));
    }

    [Fact]
    public void WithAnImage_PairsItWithTheClosestScoredOneItHasNotMet()
    {
        CandidateStanding[] standings = [new(1, 1, 1500), new(2, 1, 1520), new(3, 0, 1480), new(4, 0, 1900)];
        Assert.Equal((1L, 3L), PairChooser.With(1, standings, new HashSet<(long, long)> { (1, 2) }));
        Assert.Null(PairChooser.With(99, standings, new HashSet<(long, long)>()));
    }
}

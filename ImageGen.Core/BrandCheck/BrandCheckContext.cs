namespace ImageGen.Core.BrandCheck;

/// <summary>What a job's candidates are checked against: the brand's rules at the revision the job used, the work item's type, the revision's logos.</summary>
public sealed record BrandCheckContext(BrandRules Rules, string WorkItemType, IReadOnlyList<LogoTemplate> Logos, long? BrandRevisionId) : IDisposable
{
    /// <summary>Logos that could not be read, and why: the logo check says so rather than reporting "not found".</summary>
    public IReadOnlyList<string> LogoProblems { get; init; } = [];

    /// <summary>Why nothing can be checked for this job (the rules could not be read); every candidate is recorded as not checked.</summary>
    public string? Problem { get; init; }

    /// <summary>A context that checks nothing: every candidate of the job is recorded as not checked, with <paramref name="problem"/>.</summary>
    public static BrandCheckContext Unreadable(string problem, long? revisionId) => new(new BrandRules(), "other", [], revisionId) { Problem = problem };

    public void Dispose()
    {
        foreach (var logo in Logos)
        {
            logo.Dispose();
        }
    }
}

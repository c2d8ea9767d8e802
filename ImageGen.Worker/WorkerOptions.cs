namespace ImageGen.Worker;

/// <summary>Bound from the <c>Worker</c> configuration section.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Jobs run at once by this process.</summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>Poll interval right after work or a wake-up; it doubles while idle up to <see cref="MaxPollInterval"/>.</summary>
    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a running job's lease is renewed, which is also how soon a cancel is noticed.</summary>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often jobs whose worker was lost are failed once their attempts are used.</summary>
    public TimeSpan LostJobSweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A CLI run longer than this is killed and counted as a transient failure. Unset (the default), it follows the provider
    /// request timeout (<c>IMAGEGEN_REQUEST_TIMEOUT</c>, 600 s): one timeout per image asked for, plus a minute for the
    /// CLI's own work, so a slow model is never cut off by the job before its own request times out.
    /// </summary>
    public TimeSpan? JobTimeout { get; set; }

    /// <summary>At shutdown, running jobs get this long to finish before they are stopped and put back in the queue.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The imagegen CLI: a .dll (run with dotnet) or an executable. Default: the CLI published beside the worker (cli/imagegen; see CliLocator).</summary>
    public string? CliPath { get; set; }

    /// <summary>Names this process in <c>jobs.claimed_by</c>. Default: host name and process id.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";
}

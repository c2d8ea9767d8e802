using System.Globalization;
using ImageGen.Core.Generation;
using ImageGen.Core.Spec;

namespace ImageGen.Cli;

/// <summary>
/// The CLI's side of <see cref="CliHeartbeat"/>: when the worker asked for it, one thread reads heartbeats from standard
/// input and another ends the process when input ends or the last renewal they report is older than the timeout. Exiting the process also drops any
/// provider request in flight, so a frozen worker's job is not paid for twice.
/// </summary>
internal static class WorkerWatch
{
    public static void StartIfAsked(TextWriter stderr)
    {
        var setting = Environment.GetEnvironmentVariable(CliHeartbeat.TimeoutVariable);
        if (!double.TryParse(setting, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
        {
            return;
        }
        var timeoutMs = (long)(seconds * 1000);
        // Until the first heartbeat is read, counted from now; from then on from the renewal the newest beat reports.
        var lastBeat = Environment.TickCount64;
        var firstBeat = new ManualResetEventSlim(); // lives as long as the process
        var input = Console.OpenStandardInput();

        new Thread(() =>
        {
            var buffer = new byte[4096];
            var partial = "";
            try
            {
                int read;
                while ((read = input.Read(buffer)) > 0)
                {
                    // Every complete line of this read at once, so beats that queued up while the CLI started count
                    // together: the newest is published before the watchdog may look.
                    var lines = (partial + System.Text.Encoding.ASCII.GetString(buffer, 0, read)).Split('\n');
                    partial = lines[^1];
                    if (lines.Length > 1)
                    {
                        var newest = lines[..^1].Max(ReportedTick);
                        // The first beat replaces the start-up guess, even when it is older; later ones only move it on.
                        if (!firstBeat.IsSet || newest > Volatile.Read(ref lastBeat))
                        {
                            Volatile.Write(ref lastBeat, newest);
                        }
                        firstBeat.Set();
                    }
                }
            }
            catch (IOException)
            {
            }
            Stop(stderr, "its worker is gone (the heartbeat pipe closed)");
        }) { IsBackground = true, Name = "heartbeat reader" }.Start();

        new Thread(() =>
        {
            // The worker writes its first beat (the claim's time) as it starts the CLI; none within the timeout also means it stalled.
            firstBeat.Wait(TimeSpan.FromMilliseconds(timeoutMs));
            while (true)
            {
                if (Environment.TickCount64 - Volatile.Read(ref lastBeat) > timeoutMs)
                {
                    Stop(stderr, $"no heartbeat from its worker for {seconds.ToString("0.#", CultureInfo.InvariantCulture)} s (the worker froze or could not renew the job's lease)");
                }
                Thread.Sleep(100);
            }
        }) { IsBackground = true, Name = "heartbeat watchdog" }.Start();
    }

    /// <summary>The renewal time a line reports (never in the future); a line that is not a number is a beat now.</summary>
    private static long ReportedTick(string line)
    {
        var now = Environment.TickCount64;
        return long.TryParse(line.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var tick) ? Math.Min(tick, now) : now;
    }

    private static void Stop(TextWriter stderr, string why)
    {
        try
        {
            stderr.WriteLine($"imagegen: stopped: {why}");
            stderr.Flush();
        }
        catch (IOException)
        {
            // Nobody is reading any more: exit all the same.
        }
        Environment.Exit(ExitCodes.WorkerGone);
    }
}

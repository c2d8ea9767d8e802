using System.Globalization;
using ImageGen.Core.Generation;

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
        var now = Environment.TickCount64;
        // Counted from the worker's claim when it says when that was (never from the future), else from now.
        var lastBeat = long.TryParse(Environment.GetEnvironmentVariable(CliHeartbeat.SinceVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var since)
            && since <= now ? since : now;
        var reader = new StreamReader(Console.OpenStandardInput());

        new Thread(() =>
        {
            try
            {
                while (reader.ReadLine() is { } line)
                {
                    var renewed = long.TryParse(line, NumberStyles.Integer, CultureInfo.InvariantCulture, out var tick) && tick <= Environment.TickCount64
                        ? tick
                        : Environment.TickCount64;
                    if (renewed > Volatile.Read(ref lastBeat))
                    {
                        Volatile.Write(ref lastBeat, renewed);
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
            while (true)
            {
                Thread.Sleep(100);
                if (Environment.TickCount64 - Volatile.Read(ref lastBeat) > timeoutMs)
                {
                    Stop(stderr, $"no heartbeat from its worker for {seconds.ToString("0.#", CultureInfo.InvariantCulture)} s (the worker froze or could not renew the job's lease)");
                }
            }
        }) { IsBackground = true, Name = "heartbeat watchdog" }.Start();
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

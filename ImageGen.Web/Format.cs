using System.Globalization;

namespace ImageGen.Web;

/// <summary>How times and sizes read on the pages (the server runs on the user's machine, so local time is theirs).</summary>
public static class Format
{
    public static string Time(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Time(long? unixMilliseconds) => unixMilliseconds is { } t ? Time(t) : "—";

    public static string Duration(long? from, long? to)
    {
        if (from is null || to is null)
        {
            return "—";
        }
        var span = TimeSpan.FromMilliseconds(to.Value - from.Value);
        return span.TotalSeconds < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds} s");
    }

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.#} MB"),
    };

    /// <summary>US dollars: cents for a dollar or more, four places below (an image often costs a few cents or less).</summary>
    public static string Usd(double usd) => usd switch
    {
        0 => "$0",
        >= 1 => string.Create(CultureInfo.InvariantCulture, $"${usd:N2}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"${usd:0.0000}"),
    };

    public static string Usd(double? usd) => usd is { } u ? Usd(u) : "not priced";
}

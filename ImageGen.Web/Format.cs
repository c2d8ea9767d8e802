using System.Globalization;

namespace ImageGen.Web;

/// <summary>How times and sizes read on the pages (the server runs on the user's machine, so local time is theirs).</summary>
public static class Format
{
    public static string Time(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Time(long? unixMilliseconds) => unixMilliseconds is { } t ? Time(t) : "—";

    /// <summary>
    /// One date and time format everywhere: a <c>time</c> element with the server's text, which the page script (time.ts)
    /// rewrites in the reader's locale; the exact UTC time is its title, shown on hover. "—" when there is none.
    /// </summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent TimeTag(long? unixMilliseconds)
    {
        if (unixMilliseconds is not { } ms)
        {
            return new Microsoft.AspNetCore.Html.HtmlString("—");
        }
        var at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        var iso = at.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var exact = at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        // Only digits, dashes, colons and spaces: nothing to encode.
        return new Microsoft.AspNetCore.Html.HtmlString($"<time datetime=\"{iso}\" title=\"{exact} UTC\">{Time(ms)}</time>");
    }

    public static Microsoft.AspNetCore.Html.IHtmlContent TimeTag(DateTimeOffset at) => TimeTag(at.ToUnixTimeMilliseconds());

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

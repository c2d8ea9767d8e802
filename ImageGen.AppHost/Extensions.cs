using Microsoft.Extensions.Configuration;

namespace ImageGen.AppHost;

internal static class Extensions
{
    /// <summary>
    /// The data folder: the <c>data-dir</c> parameter (<c>Parameters:data-dir</c> in configuration, user secrets
    /// or <c>--Parameters:data-dir=…</c>), else <c>IMAGEGEN_DATA_DIR</c>, else <c>~/.imagegen</c>.
    /// </summary>
    public static string ResolveDataDirectory(this IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration["Parameters:data-dir"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            configured = Environment.GetEnvironmentVariable("IMAGEGEN_DATA_DIR");
        }
        return string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".imagegen")
            : Path.GetFullPath(configured);
    }
}

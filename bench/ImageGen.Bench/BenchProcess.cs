using System.Diagnostics;

namespace ImageGen.Bench;

/// <summary>The product's own processes (web app, worker) started for a measurement, and waited on until they answer.</summary>
internal static class BenchProcess
{
    public static Process Start(string dll, string workingDirectory, Dictionary<string, string> environment)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build it first: dotnet build -c Release (looked for {dll}).");
        }
        var info = new ProcessStartInfo("dotnet") { ArgumentList = { dll }, WorkingDirectory = workingDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task WaitUpAsync(string url)
    {
        using var http = new HttpClient();
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{url} did not come up");
    }

    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

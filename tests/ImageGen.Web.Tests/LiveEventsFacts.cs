using System.Diagnostics;
using System.Net.ServerSentEvents;
using Dapper;
using ImageGen.Core.Storage;
using ImageGen.Core.Storage.Postgres;
using ImageGen.Testing;
using ImageGen.Web.Services;
using Microsoft.Extensions.DependencyInjection;
using static ImageGen.Web.Tests.WebTestHost;

namespace ImageGen.Web.Tests;

/// <summary>
/// The pushed change markers (Services/LiveChanges.cs): a page's stream says "change" with its marker when the marker
/// differs from the one the page was rendered with, then each time a job of its scope changes, and never otherwise.
/// </summary>
public sealed class LiveEventsFacts
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WorkItemStream_PushesTheMarkerWhenItsJobChanges()
    {
        var (web, client, database) = await StartAsync();
        await using var __ = web;
        using var ___ = client;
        var rendered = await Marker(client, "/live/work-items/1");

        await using var events = await Events.OpenAsync(client, $"/live/work-items/1/events?since={Uri.EscapeDataString(rendered)}");
        Assert.Equal("text/event-stream", events.ContentType);
        await WaitUntil(() => web.Services.GetRequiredService<LiveChanges>().Listeners == 1);

        await AddJobAsync(database, workItemId: 1, updatedAt: 99_999);

        var change = await events.NextAsync();
        Assert.Equal("change", change.EventType);
        Assert.Equal(await Marker(client, "/live/work-items/1"), change.Data);
        Assert.Equal(change.Data, change.EventId);
        Assert.NotEqual(rendered, change.Data);
    }

    [Fact]
    public async Task Stream_StartsWithTheMarkerWhenThePageIsAlreadyBehind()
    {
        var (web, client, _) = await StartAsync();
        await using var __ = web;
        using var ___ = client;

        await using var events = await Events.OpenAsync(client, "/live/jobs/events?since=stale");

        var change = await events.NextAsync();
        Assert.Equal("change", change.EventType);
        Assert.Equal(await Marker(client, "/live/jobs"), change.Data);
    }

    [Fact]
    public async Task Reconnect_CountsLastEventIdOverThePageMarker()
    {
        var (web, client, database) = await StartAsync();
        await using var __ = web;
        using var ___ = client;
        var current = await Marker(client, "/live/jobs");

        // The page was rendered long ago ("stale") but the browser saw the current marker before its stream dropped.
        await using var events = await Events.OpenAsync(client, "/live/jobs/events?since=stale", lastEventId: current);
        await WaitUntil(() => web.Services.GetRequiredService<LiveChanges>().Listeners == 1);
        await AddJobAsync(database, workItemId: 1, updatedAt: 123_456);

        var change = await events.NextAsync();
        Assert.NotEqual(current, change.Data);
        Assert.Equal(await Marker(client, "/live/jobs"), change.Data);
    }

    [Fact]
    public async Task OtherWorkItemsChanges_PushNothing()
    {
        var (web, client, database) = await StartAsync();
        await using var __ = web;
        using var ___ = client;
        var rendered = await Marker(client, "/live/work-items/1");
        await using var events = await Events.OpenAsync(client, $"/live/work-items/1/events?since={Uri.EscapeDataString(rendered)}");
        await WaitUntil(() => web.Services.GetRequiredService<LiveChanges>().Listeners == 1);

        // A job of another work item changes: the watcher wakes this stream, which reads its own marker and stays quiet.
        await database.WriteAsync((c, t) => c.ExecuteAsync("""
            INSERT INTO work_items (id, project_id, name, slug, type, prompt, created_at, updated_at)
            VALUES (2, 1, 'Other', 'other', 'hero', 'a kettle', 0, 0)
            """, transaction: t));
        await AddJobAsync(database, workItemId: 2, updatedAt: 555_555);
        var quiet = events.NextAsync();
        Assert.NotSame(quiet, await Task.WhenAny(quiet, Task.Delay(LiveChanges.Interval * 10, Cancel)));

        await AddJobAsync(database, workItemId: 1, updatedAt: 666_666);
        Assert.Equal(await Marker(client, "/live/work-items/1"), (await quiet).Data);
    }

    [Fact]
    public async Task LeavingAndStopping_EndTheStreams()
    {
        var (web, client, _) = await StartAsync();
        using var ___ = client;
        var live = web.Services.GetRequiredService<LiveChanges>();

        var left = await Events.OpenAsync(client, "/live/jobs/events?since=stale");
        await left.NextAsync();
        await WaitUntil(() => live.Listeners == 1);
        await left.DisposeAsync();
        await WaitUntil(() => live.Listeners == 0);

        // An open page must not hold the app's shutdown (the default shutdown timeout is 30 s).
        await using var open = await Events.OpenAsync(client, "/live/jobs/events?since=stale");
        await open.NextAsync();
        var stopping = Stopwatch.StartNew();
        await web.DisposeAsync();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"the app took {stopping.Elapsed} to stop with a page listening");
    }

    [Fact]
    public async Task OnPostgres_TheStoreSaysWhenJobsChange_AndNothingReadsTheMarkerMeanwhile()
    {
        var connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("web");
        var (web, client, _) = await StartAsync(settings: new Dictionary<string, string>
        {
            ["Storage:Provider"] = StorageProviders.Postgres,
            ["Storage:ConnectionString"] = connectionString,
        });
        await using var __ = web;
        using var ___ = client;
        var rendered = await Marker(client, "/live/work-items/1");
        await using var events = await Events.OpenAsync(client, $"/live/work-items/1/events?since={Uri.EscapeDataString(rendered)}");
        Assert.Equal("ping", (await events.NextAnyAsync()).EventType); // the stream has read its marker once

        // A page listens and nothing changes: on SQLite the watcher reads the marker every 20 ms; here nothing is read.
        using (var statements = new StatementsOn(new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), Cancel);
            Assert.Equal(0, statements.Count);
        }

        // Another process (the worker) queues a job for this item: the page hears of it.
        using var worker = new PostgresDatabase(web.Root, connectionString);
        await AddJobAsync(worker, workItemId: 1, updatedAt: 99_999);

        var change = await events.NextAsync();
        Assert.Equal("change", change.EventType);
        Assert.Equal(await Marker(client, "/live/work-items/1"), change.Data);
        Assert.NotEqual(rendered, change.Data);
    }

    /// <summary>Counts the statements Npgsql runs on one database (its tracing, which is on while someone listens).</summary>
    private sealed class StatementsOn : IDisposable
    {
        private readonly ActivityListener _listener;
        private int _count;

        public StatementsOn(string database)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (activity.DisplayName.Contains(database, StringComparison.Ordinal)
                        || activity.TagObjects.Any(t => database.Equals(t.Value as string, StringComparison.Ordinal)))
                    {
                        Interlocked.Increment(ref _count);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }

    private static Task AddJobAsync(ImageGen.Core.Storage.Database database, long workItemId, long updatedAt) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("""
            INSERT INTO jobs (kind, work_item_id, status, payload_json, attempt, run_after, created_at, updated_at)
            VALUES ('generate', @workItemId, 'queued', '{"model":"offline/procedural","composedPrompt":"x"}', 0, 0, @updatedAt, @updatedAt)
            """, new { workItemId, updatedAt }, t));

    private static async Task<string> Marker(HttpClient client, string url) =>
        System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(url, Cancel)).RootElement.GetProperty("version").GetString()!;

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the condition did not hold within 10 s");
            await Task.Delay(10, Cancel);
        }
    }

    /// <summary>One open event stream, read with the runtime's own SSE parser; pings are skipped.</summary>
    private sealed class Events : IAsyncDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly IAsyncEnumerator<SseItem<string>> _items;

        private Events(HttpResponseMessage response, Stream body)
        {
            _response = response;
            _items = SseParser.Create(body).EnumerateAsync(Cancel).GetAsyncEnumerator(Cancel);
        }

        public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

        public static async Task<Events> OpenAsync(HttpClient client, string url, string? lastEventId = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (lastEventId is not null)
            {
                request.Headers.Add("Last-Event-ID", lastEventId);
            }
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
            response.EnsureSuccessStatusCode();
            return new Events(response, await response.Content.ReadAsStreamAsync(Cancel));
        }

        /// <summary>The next item, pings included.</summary>
        public async Task<SseItem<string>> NextAnyAsync() =>
            await _items.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10), Cancel)
                ? _items.Current
                : throw new InvalidOperationException("the stream ended");

        public async Task<SseItem<string>> NextAsync()
        {
            while (true)
            {
                var item = await NextAnyAsync();
                if (item.EventType != "ping")
                {
                    return item;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _items.DisposeAsync();
            _response.Dispose();
        }
    }
}

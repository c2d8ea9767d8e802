using ImageGen.Core.Hosting;
using ImageGen.Core;
using ImageGen.Core.Storage;
using ImageGen.Web.Services;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Net.Http.Headers;

namespace ImageGen.Web;

public static class WebServiceExtensions
{
    /// <summary>The longest one form value may be, as sent (percent-encoded): 2 MiB (the status page says so when a post is refused for it).</summary>
    public const int FormValueLimitBytes = 2 * 1024 * 1024;

    public static IHostApplicationBuilder AddWebServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddImageGenCore(builder.Configuration);
        // On PostgreSQL, the store's connections come from the Aspire Npgsql integration's data source: a database health
        // check on /health, and Npgsql's traces and metrics in the dashboard.
        if (StorageServices.PostgresConnectionString(builder.Configuration) is { } postgres)
        {
            builder.AddNpgsqlDataSource(StorageServices.ConnectionStringName, settings => settings.ConnectionString = postgres);
        }
        builder.Services.AddRazorPages(options => options.Conventions.ConfigureFilter(new QueryInputFilter()));
        // The framework's cookie TempData, left alone by the page's own fetches (PartialFetchTempData.cs).
        builder.Services.AddSingleton<ITempDataProvider>(services =>
            new PartialFetchTempData(ActivatorUtilities.CreateInstance<CookieTempDataProvider>(services)));
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(form =>
            // The largest form field is a brand's Markdown: 100,000 characters, up to 4 bytes each in UTF-8, sent percent-encoded.
            form.ValueLengthLimit = FormValueLimitBytes);
        builder.Services.AddSingleton<AssetManifest>();
        builder.Services.AddSingleton<LiveChanges>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LiveChanges>());
        builder.Services.AddScoped<JobSubmitter>();
        builder.Services.AddScoped<AssetUploader>();
        builder.Services.AddSingleton<Pages.WorkItems.WorkItemPage>();
        builder.Services.AddScoped<Pages.WorkItems.WorkItemActions>();
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient<WorkerClient>(client =>
            {
                // "worker" is the AppHost's resource name, resolved by service discovery.
                client.BaseAddress = new Uri(builder.Configuration["Worker:BaseUrl"] ?? "http://worker");
                client.Timeout = WorkerClient.Timeout;
                client.DefaultRequestHeaders.Add(WorkerAccess.HeaderName,
                    builder.Configuration[WorkerAccess.ConfigKey] is { Length: > 0 } key ? key : WorkerAccess.NoKey);
            })
            // A page must not wait on retries of a worker that is down: one short try, then say so.
            // (Marked experimental, but it is the supported way to opt one client out of the defaults.)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return builder;
    }

    public static WebApplication UseWebPipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
        }
        app.UseStatusCodePagesWithReExecute("/NotFound", "?code={0}");
        app.UseSecurityHeaders();
        app.UseStorageTroublePage();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                // Only the hashed build output may be cached forever: its name changes when its content does.
                if (context.Context.Request.Path.StartsWithSegments(AssetManifest.DistPath))
                {
                    context.Context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                }
            },
        });
        app.UseRouting();
        app.MapRazorPages();
        app.MapWebEndpoints();
        app.MapDefaultEndpoints();
        // Fail at start, not on the first page, when the front-end build is missing.
        _ = app.Services.GetRequiredService<AssetManifest>();
        return app;
    }
}

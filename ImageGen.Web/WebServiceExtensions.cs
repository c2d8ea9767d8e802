using ImageGen.Core;
using ImageGen.Web.Services;

namespace ImageGen.Web;

public static class WebServiceExtensions
{
    public static IHostApplicationBuilder AddWebServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddImageGenCore(builder.Configuration);
        builder.Services.AddRazorPages();
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient<WorkerClient>(client =>
            {
                // "worker" is the AppHost's resource name, resolved by service discovery.
                client.BaseAddress = new Uri(builder.Configuration["Worker:BaseUrl"] ?? "http://worker");
                client.Timeout = WorkerClient.Timeout;
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
        app.UseStaticFiles();
        app.UseRouting();
        app.MapRazorPages();
        app.MapDefaultEndpoints();
        return app;
    }
}

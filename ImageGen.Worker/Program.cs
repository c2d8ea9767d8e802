using ImageGen.Core.Hosting;
using ImageGen.Core;
using ImageGen.Worker;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddWorkerServices();

var app = builder.Build();
if (!await app.Services.MigrateDatabaseAsync())
{
    await app.DisposeAsync(); // Storage:Migrate=only (the AppHost's migrate resource): migrated, telemetry flushed, done
    return;
}
app.MapDefaultEndpoints();
app.MapWorkerEndpoints();
await app.RunAsync();

public partial class Program;

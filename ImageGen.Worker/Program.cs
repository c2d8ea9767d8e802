using ImageGen.Core;
using ImageGen.Worker;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddWorkerServices();

var app = builder.Build();
await app.Services.MigrateDatabaseAsync();
app.MapDefaultEndpoints();
app.MapWorkerEndpoints();
await app.RunAsync();

public partial class Program;

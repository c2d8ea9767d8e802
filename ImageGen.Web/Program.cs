using ImageGen.Core;
using ImageGen.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddWebServices();

var app = builder.Build();
await app.Services.MigrateDatabaseAsync();
app.UseWebPipeline();
await app.RunAsync();

public partial class Program;

using ImageGen.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

// One data folder for every process: images and exports (and, on SQLite, the database file).
var dataDirectory = builder.ResolveDataDirectory();
var dataDir = builder.AddParameter("data-dir", dataDirectory);

// A new random key at every start: the worker runs commands only for callers that send it (web, dashboard).
var workerKey = builder.AddWorkerKey();

// The store: SQLite in the data folder (default), or PostgreSQL with --Parameters:store=postgres (docs/ARCHITECTURE.md).
var store = builder.ResolveStore();

var worker = builder.AddProject<Projects.ImageGen_Worker>("worker")
    .WithEnvironment("ImageGen__DataDir", dataDir)
    .WithEnvironment("ImageGen__WorkerKey", workerKey)
    .WithHttpHealthCheck("/health")
    .WithQueueCommands(workerKey);

var web = builder.AddProject<Projects.ImageGen_Web>("web")
    .WithEnvironment("ImageGen__DataDir", dataDir)
    .WithEnvironment("ImageGen__WorkerKey", workerKey)
    .WithReference(worker)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    .WithUrlForEndpoint("http", url => url.DisplayText = "Open ImageGen");

builder.UseStore(store, dataDirectory, worker, web);

// Every provider and CLI setting given to the AppHost (ProviderSettingTable), only when set: secrets as secret parameters (masked in the dashboard).
builder.ForwardProviderSettings(worker, web);

builder.Build().Run();

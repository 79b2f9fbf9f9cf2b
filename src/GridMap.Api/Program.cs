using GridMap.Api;

// Program.cs only composes; see GridMapApp for services and endpoint groups.
var app = GridMapApp.Build(args);
await app.RunAsync();

/// <summary>Entry point type, visible to WebApplicationFactory in the Api tests.</summary>
public partial class Program;

using GridMap.Tests.Shared;
using System.Runtime.CompilerServices;

namespace GridMap.Tests.Shared;

/// <summary>Where tests find the repository and the reference data beside it (../shared/data).</summary>
public static class RepoPaths
{
    /// <summary>The folder holding GridMap.sln: found above the test binaries or, when they were built outside
    /// the checkout (--artifacts-path), above this source file's compile-time path.</summary>
    public static string Root { get; } = FindUp(AppContext.BaseDirectory) ?? FindUp(SourceDir())
        ?? throw new InvalidOperationException($"GridMap.sln not found above {AppContext.BaseDirectory} or {SourceDir()}.");

    /// <summary>A path inside the shared reference data: $GRIDMAP_SHARED_DATA, else ../shared/data next to the repository.</summary>
    public static string SharedData(params string[] parts) =>
        Path.GetFullPath(Path.Combine([Environment.GetEnvironmentVariable("GRIDMAP_SHARED_DATA") is { Length: > 0 } d ? d : Path.Combine(Root, "..", "shared", "data"), .. parts]));

    /// <summary>A path under .run/ in the repository: git-ignored scratch space, the only place in the checkout a
    /// test may write to (tracked files stay as they are after any test run).</summary>
    public static string Scratch(params string[] parts) => Path.Combine([Root, ".run", .. parts]);

    private static string SourceDir([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? "";

    private static string? FindUp(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GridMap.sln"))) return dir.FullName;
        return null;
    }
}

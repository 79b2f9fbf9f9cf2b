using System.Runtime.CompilerServices;

namespace GridMap.Domain.Tests.Network;

/// <summary>Reference data lives in ../shared/data next to the repository root (the folder holding GridMap.sln).</summary>
internal static class TestData
{
    /// <summary>
    /// Walks up from the test binaries; when they are built outside the checkout (--artifacts-path), walks up from
    /// this source file's compile-time path instead.
    /// </summary>
    public static string RepoRoot => FindUp(AppContext.BaseDirectory) ?? FindUp(SourceDir()) ??
        throw new InvalidOperationException($"GridMap.sln not found above {AppContext.BaseDirectory} or {SourceDir()}.");

    private static string SourceDir([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? "";

    private static string? FindUp(string start)
    {
        var dir = new DirectoryInfo(start);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GridMap.sln"))) dir = dir.Parent;
        return dir?.FullName;
    }

    public static string Path_(params string[] parts) =>
        Path.GetFullPath(Path.Combine([RepoRoot, "..", "shared", "data", .. parts]));
}

using GridMap.Tests.Shared;

namespace GridMap.Domain.Tests.Network;

/// <summary>Reference data lives in ../shared/data next to the repository root (the folder holding GridMap.sln).</summary>
internal static class TestData
{
    public static string RepoRoot => RepoPaths.Root;

    public static string Path_(params string[] parts) => RepoPaths.SharedData(parts);
}

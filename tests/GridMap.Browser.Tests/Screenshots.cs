using GridMap.Tests.Shared;

namespace GridMap.Browser.Tests;

/// <summary>
/// Where browser tests save their screenshots: $GRIDMAP_SCREENSHOTS, else .run/screenshots/ in the repository
/// (git-ignored), so a test run never changes a tracked file. docs/screenshots is refreshed on purpose by
/// scripts/screenshots, which runs the tests that take them and copies the PNGs there.
/// </summary>
public static class Screenshots
{
    public static string Dir => Environment.GetEnvironmentVariable("GRIDMAP_SCREENSHOTS") is { Length: > 0 } d
        ? Path.GetFullPath(d)
        : RepoPaths.Scratch("screenshots");

    /// <summary>The path to save <paramref name="fileName"/> (e.g. "planner.png") to; its folder exists.</summary>
    public static string PathFor(string fileName)
    {
        Directory.CreateDirectory(Dir);
        return Path.Combine(Dir, fileName);
    }
}

using GridMap.Tests.Shared;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using GridMap.Domain.Demo;

namespace GridMap.Domain.Tests.Demo;

/// <summary>One generated demo city (seed 42) shared by the demo tests: generation takes seconds.</summary>
public sealed class DemoCityFixture
{
    public DemoCity City { get; }
    public TimeSpan Elapsed { get; }
    /// <summary>Process CPU time spent meanwhile (only the generator's when the demo tests run alone).</summary>
    public TimeSpan Cpu { get; }

    public DemoCityFixture()
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        City = DemoCityGenerator.Generate(42);
        Elapsed = sw.Elapsed;
        Cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    }
}

[CollectionDefinition(Name)]
public sealed class DemoCityCollection : ICollectionFixture<DemoCityFixture>
{
    public const string Name = "demo city";
}

/// <summary>Reference data in ../shared/data beside the repository root (the folder holding GridMap.sln).</summary>
internal static class DemoPaths
{
    public static string SharedData(params string[] parts) => RepoPaths.SharedData(parts);

}

using GridMap.Application.Pipeline;
using GridMap.Domain.Geo;
using GridMap.Domain.Import;
using GridMap.Domain.IO;
using GridMap.Storage;

namespace GridMap.Application.Import;

/// <summary>What importing a file would do (or did): features read, the file's CRS, how many are valid, repaired, and every problem.</summary>
public sealed record ImportOutcome(ImportTarget Target, int Features, string Crs, bool CrsFromFile, int Valid, int Repaired, IReadOnlyList<ImportProblem> Problems, bool Written)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// Importing compounds, pipes or valves from a GeoJSON / Shapefile / GeoPackage: every feature is checked (geometry,
/// validity, position after transformation to WGS84, attributes); any problem → nothing is written and every problem
/// is listed; otherwise one write through the <see cref="WritePipeline"/> (one transaction).
/// </summary>
public sealed class FeatureImports(ImportStore store, WritePipeline writes)
{
    /// <summary>Reads and checks <paramref name="path"/>; writes when every feature is valid and <paramref name="dryRun"/> is false.
    /// <paramref name="stage"/> hears "reading", "validating", "writing".</summary>
    public async Task<ImportOutcome> ImportAsync(string path, ImportTarget target, Crs? overrideCrs, bool repair, bool dryRun,
        IProgress<string>? stage = null, CancellationToken ct = default)
    {
        stage?.Report("reading");
        var set = await Task.Run(() => FeatureFile.Read(path, overrideCrs), ct);
        stage?.Report("validating");
        var options = new ImportOptions(repair);
        (IReadOnlyList<ImportProblem> problems, int valid, int repaired, Func<DbSession, Task<ulong>> write) plan = target switch
        {
            ImportTarget.Compounds => Plan(FeatureImporter.Compounds(set, options, await store.DistrictLocatorAsync(ct), (int)await store.NextIdAsync("compound", ct))),
            ImportTarget.Pipes => Plan(FeatureImporter.Pipes(set, options, await store.NextIdAsync("pipe", ct))),
            _ => Plan(FeatureImporter.Valves(set, options, await store.NextIdAsync("valve", ct))),
        };
        var written = false;
        if (plan.problems.Count == 0 && !dryRun)
        {
            stage?.Report("writing");
            var what = target.ToString().ToLowerInvariant();
            await writes.RunAsync(new WriteSpec($"import.{what}", $"file:{Path.GetFileName(path)}"), plan.write, ct);
            written = true;
        }
        return new ImportOutcome(target, set.Features.Count, set.Crs.ToString(), set.CrsFromFile, plan.valid, plan.repaired, plan.problems, written);

        (IReadOnlyList<ImportProblem>, int, int, Func<DbSession, Task<ulong>>) Plan<T>(ImportPlan<T> p) =>
            (p.Problems, p.Items.Count, p.Repaired, s => store.WriteAsync(s, p.Items, ct));
    }
}

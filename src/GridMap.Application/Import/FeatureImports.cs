using System.Text.Json.Serialization;
using GridMap.Application.Audit;
using GridMap.Application.Pipeline;
using GridMap.Domain.Geo;
using GridMap.Domain.Import;
using GridMap.Domain.IO;
using GridMap.Domain.Model;
using GridMap.Storage;
using Npgsql;

namespace GridMap.Application.Import;

/// <summary>What one feature became (or would become): <c>add</c>, <c>change</c> (with the attributes that differ) or
/// <c>unchanged</c>; its 0-based index in the file, the source's external key if any, and GridMap's id.</summary>
public sealed record ImportItemOutcome(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("key")] string? Key,
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("attributes")] IReadOnlyList<string> Attributes);

/// <summary>What importing a file would do (or did): features read, the file's CRS, what is added, changed and left alone
/// (<see cref="Items"/>), how many are valid, repaired, had Z (dropped), and every problem (any problem → nothing written).</summary>
public sealed record ImportOutcome(ImportTarget Target, string Source, int Features, string Crs, bool CrsFromFile, int Valid, int Repaired, int ZDropped,
    IReadOnlyList<ImportProblem> Problems, IReadOnlyList<ImportItemOutcome> Items, bool Written)
{
    public bool Ok => Problems.Count == 0;
    public int Added => Items.Count(i => i.Action == "add");
    public int Changed => Items.Count(i => i.Action == "change");
    public int Unchanged => Items.Count(i => i.Action == "unchanged");
}

/// <summary>
/// Importing compounds, pipes or valves from a GeoJSON / Shapefile / GeoPackage: every feature is checked (geometry,
/// validity, position after transformation to WGS84, attributes, references); any problem → nothing is written and every
/// problem is listed; otherwise one write through the <see cref="WritePipeline"/> (one transaction) that adds new features,
/// updates the attributes that changed (re-import = upsert by id or by the source's external key) and leaves the rest alone,
/// each addition and change audited with before/after.
/// Ids: a positive integer id is GridMap's own id; any other id (<c>"XQ-0012"</c>) is an external key of
/// <c>source</c> (by default the file name without extension), mapped to an id GridMap gives (table import_key).
/// </summary>
public sealed class FeatureImports(ImportStore store, WritePipeline writes)
{
    /// <summary>Reads and checks <paramref name="path"/>; writes when every feature is valid and <paramref name="dryRun"/> is false.
    /// <paramref name="stage"/> hears "reading", "validating", "writing".</summary>
    public async Task<ImportOutcome> ImportAsync(string path, ImportTarget target, Crs? overrideCrs, bool repair, bool dryRun,
        IProgress<string>? stage = null, CancellationToken ct = default, string? source = null)
    {
        source = SourceName(path, source);
        stage?.Report("reading");
        var set = await Task.Run(() => FeatureFile.Read(path, overrideCrs), ct);
        stage?.Report("validating");
        var columns = ImportColumns.For(target);
        var districts = target == ImportTarget.Compounds ? await store.DistrictsAsync(ct) : default;
        var options = new ImportOptions(repair) { Districts = districts.Codes };
        var firstId = await store.NextIdAsync(columns.Kind, ct);
        return target switch
        {
            ImportTarget.Compounds => await Run(FeatureImporter.Compounds(set, options, districts.Locate, (int)firstId), (c, id) => c with { Id = (int)id }),
            ImportTarget.Pipes => await Run(FeatureImporter.Pipes(set, options, firstId), (p, id) => p with { Id = id }),
            _ => await Run(FeatureImporter.Valves(set, options, firstId), (v, id) => v with { Id = id }),
        };

        async Task<ImportOutcome> Run<T>(ImportPlan<T> plan, Func<T, long, T> withId)
        {
            var problems = plan.Problems.ToList();
            if (plan.Items is IReadOnlyList<Valve> valves) await CheckPipesAsync(valves, plan.Origins, problems, ct);
            var written = false;
            IReadOnlyList<ImportItemOutcome> items;
            if (problems.Count > 0 || dryRun)
            {
                items = (await ClassifyAsync(null, plan, columns, source, withId, ct)).Outcomes;
            }
            else
            {
                stage?.Report("writing");
                try
                {
                    items = await writes.RunAsync(new WriteSpec($"import.{target.ToString().ToLowerInvariant()}", $"file:{Path.GetFileName(path)}"),
                        async session =>
                        {
                            await store.LockAsync(session, columns.Kind, ct);
                            var c = await ClassifyAsync(session, plan, columns, source, withId, ct);
                            await WriteAsync(session, c, columns, source, ct);
                            if (target == ImportTarget.Pipes) await ImportConnections.WriteAsync(session, set, c.Outcomes, writes.Caller.Name, ct);
                            return c.Outcomes;
                        }, ct);
                }
                catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation
                                                       or PostgresErrorCodes.CheckViolation or PostgresErrorCodes.NotNullViolation)
                {
                    throw new InvalidOperationException(
                        $"导入被数据库拒绝，未写入任何内容 (the database refused the import — {Describe(e)}; nothing was written). " +
                        "Another write may have changed the same rows: run the import again (try --dry-run first).", e);
                }
                written = true;
            }
            return new ImportOutcome(target, source, set.Features.Count, set.Crs.ToString(), set.CrsFromFile, plan.Items.Count, plan.Repaired,
                plan.ZDropped, problems.OrderBy(p => p.Index).ToList(), items, written);
        }
    }

    /// <summary>The source name external keys belong to: <paramref name="given"/>, else the file name without extension.</summary>
    public static string SourceName(string path, string? given)
    {
        var s = (given ?? Path.GetFileNameWithoutExtension(path)).Trim();
        if (s.Length is 0 or > 200 || s.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException($"--source '{s}' must be 1–200 characters (the dataset's name, e.g. 'xq-survey').");
        return s;
    }

    private static string Describe(PostgresException e) => e.SqlState switch
    {
        PostgresErrorCodes.UniqueViolation => $"an id is already taken ({e.ConstraintName})",
        PostgresErrorCodes.ForeignKeyViolation => $"a reference names nothing stored ({e.ConstraintName})",
        _ => $"a value is out of range ({e.ConstraintName ?? e.ColumnName})",
    };

    /// <summary>A valve's pipe_id must name a stored pipe: refused per feature instead of failing the database write.</summary>
    private async Task CheckPipesAsync(IReadOnlyList<Valve> valves, IReadOnlyList<ImportOrigin> origins, List<ImportProblem> problems, CancellationToken ct)
    {
        var wanted = valves.Where(v => v.PipeId is not null).Select(v => v.PipeId!.Value).Distinct().ToList();
        if (wanted.Count == 0) return;
        var found = await store.PipesAmongAsync(null, wanted, ct);
        for (var i = 0; i < valves.Count; i++)
            if (valves[i].PipeId is { } p && !found.Contains(p))
                problems.Add(new ImportProblem(origins[i].Index, origins[i].Key ?? (origins[i].IdFromFile ? valves[i].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null),
                    $"pipe_id {p} is not a stored pipe", valves[i].Location.X, valves[i].Location.Y));
    }

    private sealed record Classified<T>(List<T> Adds, List<(T Entity, IReadOnlyDictionary<string, object?> Before, IReadOnlyDictionary<string, object?> After, IReadOnlyList<string> Changed)> Changes,
        List<(string Key, long Id)> Keys, IReadOnlyList<ImportItemOutcome> Outcomes);

    /// <summary>Gives every item its GridMap id (its own, its key's, or a new one) and sorts it into add / change / unchanged.</summary>
    private async Task<Classified<T>> ClassifyAsync<T>(DbSession? session, ImportPlan<T> plan, ImportColumns columns, string source, Func<T, long, T> withId, CancellationToken ct)
    {
        var keys = plan.Origins.Where(o => o.Key is not null).Select(o => o.Key!).ToList();
        var known = await store.KeysAsync(session, columns.Kind, source, keys, ct);
        var nextId = session is null ? await store.NextIdAsync(columns.Kind, ct) : await store.NextIdAsync(session, columns.Kind, ct);
        var fileIds = plan.Items.Select(ImportColumns.IdOf).ToList();
        var taken = new HashSet<long>(plan.Origins.Select((o, i) => (o, i)).Where(x => x.o.IdFromFile).Select(x => fileIds[x.i]));
        var entities = new List<T>(plan.Items.Count);
        for (var i = 0; i < plan.Items.Count; i++)
        {
            var o = plan.Origins[i];
            long id;
            if (o.IdFromFile) id = fileIds[i];
            else if (o.Key is not null && known.TryGetValue(o.Key, out var k)) id = k;
            else
            {
                while (taken.Contains(nextId)) nextId++;
                id = nextId++;
            }
            entities.Add(withId(plan.Items[i], id));
        }
        var ids = entities.Select(ImportColumns.IdOf).ToList();
        var stored = await store.ExistingAsync(session, columns.Kind, ids, ct);
        var adds = new List<T>();
        var changes = new List<(T, IReadOnlyDictionary<string, object?>, IReadOnlyDictionary<string, object?>, IReadOnlyList<string>)>();
        var outcomes = new List<ImportItemOutcome>(entities.Count);
        var savedKeys = new List<(string, long)>();
        for (var i = 0; i < entities.Count; i++)
        {
            var o = plan.Origins[i];
            var id = ids[i];
            if (o.Key is not null) savedKeys.Add((o.Key, id));
            var values = ImportColumns.Values(entities[i]);
            if (!stored.TryGetValue(id, out var before))
            {
                adds.Add(entities[i]);
                outcomes.Add(new ImportItemOutcome(o.Index, o.Key, id, "add", []));
                continue;
            }
            var changed = columns.Changed(before, values, o.Given);
            if (changed.Count == 0) { outcomes.Add(new ImportItemOutcome(o.Index, o.Key, id, "unchanged", [])); continue; }
            changes.Add((entities[i], before, values, changed));
            outcomes.Add(new ImportItemOutcome(o.Index, o.Key, id, "change", changed));
        }
        return new Classified<T>(adds, changes, savedKeys, outcomes);
    }

    private async Task WriteAsync<T>(DbSession session, Classified<T> c, ImportColumns columns, string source, CancellationToken ct)
    {
        await store.WriteAsync(session, c.Adds, ct);
        await store.UpdateAsync(session, columns.Kind, c.Changes.Select(x => (ImportColumns.IdOf(x.Entity), x.After, x.Changed)).ToList(), ct);
        await store.SaveKeysAsync(session, columns.Kind, source, c.Keys, ct);
        var keyOf = c.Keys.GroupBy(k => k.Id).ToDictionary(g => g.Key, g => g.First().Key);
        foreach (var a in c.Adds)
        {
            var id = ImportColumns.IdOf(a);
            session.Changed(columns.Kind, id, null, Audited(ImportColumns.Values(a), null, source, keyOf.GetValueOrDefault(id)));
        }
        foreach (var (e, before, after, changed) in c.Changes)
        {
            var id = ImportColumns.IdOf(e);
            session.Changed(columns.Kind, id, Audited(before, changed, null, null), Audited(after, changed, source, keyOf.GetValueOrDefault(id)));
        }
    }

    /// <summary>The audited attributes: all of them for an addition, the changed ones for a change; plus where it came from.</summary>
    private static Dictionary<string, object?> Audited(IReadOnlyDictionary<string, object?> values, IReadOnlyList<string>? only, string? source, string? key)
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in values) if (only is null || only.Contains(k)) d[k] = v;
        if (source is not null) d["import_source"] = source;
        if (key is not null) d["import_key"] = key;
        return d;
    }
}

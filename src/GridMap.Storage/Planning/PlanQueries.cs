using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace GridMap.Storage.Planning;

/// <summary>
/// Read-only queries about plans, each on its own connection: one plan with its cell statistics, plan lists, the
/// current plan of an area, cells and compounds as GeoJSON features, the boundary two cells share. Geometries are
/// WGS84 lon/lat; cells are numbered from 0. A query about a plan that does not exist returns null.
/// </summary>
public sealed class PlanQueries(NpgsqlDataSource db)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Sql(string name) => SqlScripts.Get($"Queries/{name}.sql");

    /// <summary>The plan with per-cell statistics, crossings and totals (planning_plan.sql); null when there is no such plan.</summary>
    public async Task<PlanDetail?> PlanAsync(long id, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(Sql("planning_plan"));
        cmd.Parameters.AddWithValue("plan", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        var area = new PlanAreaInfo(r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7));
        var parameters = Document<PlanParams>(r, 8)!;
        var search = Document<PlanSearch>(r, 9);
        double lower = r.GetDouble(10), upper = r.GetDouble(11), target = r.GetDouble(12);
        double[] bbox = [r.GetDouble(13), r.GetDouble(14), r.GetDouble(15), r.GetDouble(16)];
        long planId = r.GetInt64(0);
        string status = r.GetString(1);
        int? version = r.IsDBNull(2) ? null : r.GetInt32(2);
        var created = r.GetFieldValue<DateTimeOffset>(17);
        DateTimeOffset? published = r.IsDBNull(18) ? null : r.GetFieldValue<DateTimeOffset>(18);
        DateTimeOffset? superseded = r.IsDBNull(19) ? null : r.GetFieldValue<DateTimeOffset>(19);
        long? supersededBy = r.IsDBNull(20) ? null : r.GetInt64(20);
        var revision = r.GetInt64(21);
        long? restoredFrom = r.IsDBNull(22) ? null : r.GetInt64(22);

        await r.NextResultAsync(ct);
        var cells = new List<PlanCellStats>();
        while (await r.ReadAsync(ct))
            cells.Add(new PlanCellStats(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4), r.GetDecimal(5), r.GetDecimal(6),
                r.GetBoolean(7), r.GetBoolean(8), r.GetBoolean(9), r.GetBoolean(10), r.GetBoolean(11),
                r.IsDBNull(12) ? null : r.GetInt32(12), r.IsDBNull(13) ? null : r.GetString(13), r.GetBoolean(14), [r.GetDecimal(15), r.GetDecimal(16)]));

        await r.NextResultAsync(ct);
        var crossings = new List<BarrierCrossing>();
        while (await r.ReadAsync(ct))
            crossings.Add(new BarrierCrossing(r.GetInt32(0), r.GetInt32(1), r.GetString(2), r.GetString(3), GeoJsonGeometry.Parse<GeoJsonLineString>(r.GetString(4))));

        await r.NextResultAsync(ct);
        await r.ReadAsync(ct);
        var totals = new PlanTotals(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetDecimal(3), r.GetDecimal(4), r.GetBoolean(5), r.GetBoolean(6),
            r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10));
        return new PlanDetail(planId, status, version, area, parameters, search, lower, upper, target, bbox, created, published, superseded, supersededBy,
            cells, crossings, totals) { Revision = revision, RestoredFrom = restoredFrom };
    }

    /// <summary>A jsonb column as a record (null for SQL NULL).</summary>
    private static T? Document<T>(NpgsqlDataReader r, int column) where T : class
    {
        if (r.IsDBNull(column)) return null;
        using var doc = r.GetFieldValue<JsonDocument>(column);
        return doc.Deserialize<T>(Json);
    }

    /// <summary>Plans newest first (at most 200), filtered by area key and/or status when given.</summary>
    public async Task<IReadOnlyList<PlanSummary>> PlansAsync(string? areaKey, string? status, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(Sql("planning_plans"));
        cmd.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = (object?)areaKey ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("status", NpgsqlDbType.Text) { Value = (object?)status ?? DBNull.Value });
        var list = new List<PlanSummary>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new PlanSummary(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetInt32(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.GetFieldValue<DateTimeOffset>(6), r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7), r.IsDBNull(8) ? null : r.GetInt64(8), r.GetInt64(9)));
        return list;
    }

    /// <summary>Id of the current (published) plan of an area key, or null.</summary>
    public async Task<long?> CurrentPlanIdAsync(string areaKey, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT id FROM plan WHERE area_key = @key AND status = 'published'");
        cmd.Parameters.AddWithValue("key", areaKey);
        return await cmd.ExecuteScalarAsync(ct) as long?;
    }

    /// <summary>The cell indices of a plan, ascending; null when there is no such plan.</summary>
    public async Task<IReadOnlyList<int>?> CellIndicesAsync(long id, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT coalesce((SELECT array_agg(idx ORDER BY idx) FROM plan_cell WHERE plan_id = p.id), '{}') FROM plan p WHERE p.id = @plan");
        cmd.Parameters.AddWithValue("plan", id);
        return await cmd.ExecuteScalarAsync(ct) as int[];
    }

    /// <summary>The plan's cells as GeoJSON features (MultiPolygons, 8 decimals) with their statistics, by cell index;
    /// null when there is no such plan.</summary>
    public async Task<FeatureCollection<PlanCellProperties, GeoJsonMultiPolygon>?> CellFeaturesAsync(long id, CancellationToken ct = default)
    {
        if (!await ExistsAsync(id, ct)) return null;
        await using var cmd = db.CreateCommand(Sql("planning_cell_features"));
        cmd.Parameters.AddWithValue("plan", id);
        var list = new List<Feature<PlanCellProperties, GeoJsonMultiPolygon>>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new(r.GetInt32(0), GeoJsonGeometry.Parse<GeoJsonMultiPolygon>(r.GetString(1)), new PlanCellProperties(r.GetInt32(0), r.GetString(2), r.GetString(3),
                r.GetInt32(4), r.GetInt32(5), r.GetDecimal(6), r.GetDecimal(7), r.GetBoolean(8), r.GetBoolean(9), r.GetBoolean(10), r.GetBoolean(11), r.GetBoolean(12),
                r.IsDBNull(13) ? null : r.GetInt32(13), r.IsDBNull(14) ? null : r.GetString(14), r.GetBoolean(15))));
        return new(id, list);
    }

    /// <summary>The plan's compounds as GeoJSON features (footprint Polygons, 7 decimals) with their cell, by compound id;
    /// null when there is no such plan.</summary>
    public async Task<FeatureCollection<PlanCompoundProperties, GeoJsonPolygon>?> CompoundFeaturesAsync(long id, CancellationToken ct = default)
    {
        if (!await ExistsAsync(id, ct)) return null;
        await using var cmd = db.CreateCommand(Sql("planning_compound_features"));
        cmd.Parameters.AddWithValue("plan", id);
        var list = new List<Feature<PlanCompoundProperties, GeoJsonPolygon>>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new(r.GetInt32(0), GeoJsonGeometry.Parse<GeoJsonPolygon>(r.GetString(1)), new PlanCompoundProperties(r.GetInt32(0), r.GetString(2),
                r.GetInt32(3), r.GetInt32(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6))));
        return new(id, list);
    }

    /// <summary>The stretches of boundary cells <paramref name="a"/> and <paramref name="b"/> share (LineStrings, 10 decimals),
    /// longest first; empty when they do not touch along a line. The caller checks the cells exist.</summary>
    public async Task<IReadOnlyList<GeoJsonLineString>> SharedEdgesAsync(long id, int a, int b, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(Sql("planning_shared_edges"));
        cmd.Parameters.AddWithValue("plan", id);
        cmd.Parameters.AddWithValue("a", a);
        cmd.Parameters.AddWithValue("b", b);
        var list = new List<GeoJsonLineString>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(GeoJsonGeometry.Parse<GeoJsonLineString>(r.GetString(0)));
        return list;
    }

    /// <summary>Whether plan <paramref name="id"/> exists.</summary>
    public async Task<bool> ExistsAsync(long id, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT 1 FROM plan WHERE id = @plan");
        cmd.Parameters.AddWithValue("plan", id);
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>The published versions of an area key (current and superseded), newest first (planning_versions.sql).</summary>
    public async Task<IReadOnlyList<PlanVersion>> VersionsAsync(string areaKey, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(Sql("planning_versions"));
        cmd.Parameters.AddWithValue("key", areaKey);
        var list = new List<PlanVersion>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new PlanVersion(r.GetInt64(0), r.GetInt32(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3),
                r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4), r.IsDBNull(5) ? null : r.GetInt64(5),
                r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.IsDBNull(9) ? null : r.GetString(9)));
        return list;
    }
}

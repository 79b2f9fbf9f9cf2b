using GridMap.Domain.Demo;
using GridMap.Domain.Model;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace GridMap.Storage;

/// <summary>
/// Writes entities with PostgreSQL binary COPY (the fastest path into PostGIS). Each method writes into the
/// caller's connection, so a caller's transaction makes a whole load all-or-nothing. Table constraints
/// (valid geometries, non-negative counts, enumerations) still apply: a bad row aborts the COPY.
/// </summary>
public static class BulkLoader
{
    public static Task<ulong> BranchesAsync(NpgsqlConnection c, IEnumerable<Branch> rows, CancellationToken ct = default) =>
        Copy(c, "branch (id, name, area)", rows, (w, r) => { w.Write(r.Id); w.Write(r.Name); Geo(w, r.Area); }, ct);

    public static Task<ulong> DistrictsAsync(NpgsqlConnection c, IEnumerable<District> rows, CancellationToken ct = default) =>
        Copy(c, "district (code, name, branch_id, area)", rows, (w, r) => { w.Write(r.Code); w.Write(r.Name); w.Write(r.BranchId); Geo(w, r.Area); }, ct);

    public static Task<ulong> StreetsAsync(NpgsqlConnection c, IEnumerable<Street> rows, CancellationToken ct = default) =>
        Copy(c, "street (code, name, district_code, area)", rows, (w, r) => { w.Write(r.Code); w.Write(r.Name); w.Write(r.DistrictCode); Geo(w, r.Area); }, ct);

    public static Task<ulong> CommunitiesAsync(NpgsqlConnection c, IEnumerable<Community> rows, CancellationToken ct = default) =>
        Copy(c, "community (code, name, street_code)", rows, (w, r) => { w.Write(r.Code); w.Write(r.Name); w.Write(r.StreetCode); }, ct);

    public static Task<ulong> RoadsAsync(NpgsqlConnection c, IEnumerable<Road> rows, CancellationToken ct = default) =>
        Copy(c, "road (id, name, kind, geom)", rows, (w, r) => { w.Write(r.Id); w.Write(r.Name); w.Write(r.Kind.ToCode()); Geo(w, r.Geometry); }, ct);

    public static Task<ulong> HeatSourcesAsync(NpgsqlConnection c, IEnumerable<HeatSource> rows, CancellationToken ct = default) =>
        Copy(c, "heat_source (id, name, capacity_mw, geom)", rows, (w, r) => { w.Write(r.Id); w.Write(r.Name); w.Write(r.CapacityMw); Geo(w, r.Location); }, ct);

    public static Task<ulong> StationsAsync(NpgsqlConnection c, IEnumerable<Station> rows, CancellationToken ct = default) =>
        Copy(c, "station (id, name, district_code, capacity_kw, geom)", rows, (w, r) =>
        { w.Write(r.Id); w.Write(r.Name); w.Write(r.DistrictCode); w.Write(r.CapacityKw); Geo(w, r.Location); }, ct);

    public static Task<ulong> StaffAsync(NpgsqlConnection c, IEnumerable<Staff> rows, CancellationToken ct = default) =>
        Copy(c, "staff (id, name, phone, role, branch_id, base)", rows, (w, r) =>
        { w.Write(r.Id); w.Write(r.Name); w.Write(r.Phone); w.Write(r.Role.ToCode()); w.Write(r.BranchId); Geo(w, r.Base); }, ct);

    public static Task<ulong> CellsAsync(NpgsqlConnection c, IEnumerable<GridCell> rows, CancellationToken ct = default) =>
        Copy(c, "grid_cell (code, name, district_code, staff_id, area)", rows, (w, r) =>
        { w.Write(r.Code); w.Write(r.Name); w.Write(r.DistrictCode); Nullable(w, r.StaffId); Geo(w, r.Area); }, ct);

    public static Task<ulong> CompoundsAsync(NpgsqlConnection c, IEnumerable<Compound> rows, CancellationToken ct = default) =>
        Copy(c, """
            compound (id, name, address, district_code, street_code, community_code, footprint, households, buildings,
              heated_area_m2, built_year, heating_system, retrofit_status, consent_rate, dispute, dispute_notes,
              property_management, fee_status, secondary_retrofit_year, station_id)
            """, rows, (w, r) =>
        {
            w.Write(r.Id); w.Write(r.Name); Text(w, r.Address); w.Write(r.DistrictCode); Text(w, r.StreetCode); Text(w, r.CommunityCode);
            Geo(w, r.Footprint); w.Write(r.Households); w.Write(r.Buildings); w.Write(r.HeatedAreaM2); Nullable(w, r.BuiltYear);
            w.Write(r.HeatingSystem.ToCode()); w.Write(r.RetrofitStatus.ToCode()); w.Write(r.ConsentRate); w.Write(r.Dispute);
            Text(w, r.DisputeNotes); w.Write(r.PropertyManagement); w.Write(r.FeeStatus); Nullable(w, r.SecondaryRetrofitYear);
            Nullable(w, r.StationId);
        }, ct);

    public static Task<ulong> PipesAsync(NpgsqlConnection c, IEnumerable<Pipe> rows, CancellationToken ct = default) =>
        Copy(c, "pipe (id, level, flow, dn, material, install_year, depth_m, status, station_id, geom)", rows, (w, r) =>
        {
            w.Write(r.Id); w.Write(r.Level.ToCode()); w.Write(r.Flow.ToCode()); w.Write(r.Dn); w.Write(r.Material);
            Nullable(w, r.InstallYear); w.Write(r.DepthM); w.Write(r.Status.ToCode()); Nullable(w, r.StationId); Geo(w, r.Geometry);
        }, ct);

    public static Task<ulong> ValvesAsync(NpgsqlConnection c, IEnumerable<Valve> rows, CancellationToken ct = default) =>
        Copy(c, "valve (id, state, operable, level, dn, pipe_id, geom)", rows, (w, r) =>
        {
            w.Write(r.Id); w.Write(r.State.ToCode()); w.Write(r.Operable); w.Write(r.Level.ToCode()); w.Write(r.Dn);
            Nullable(w, r.PipeId); Geo(w, r.Location);
        }, ct);

    /// <summary>Explicit connections (migration 0019) with their origin (<c>demo</c>, <c>import</c>).</summary>
    public static Task<ulong> ConnectionsAsync(NpgsqlConnection c, IEnumerable<DemoConnection> rows, string source, CancellationToken ct = default) =>
        Copy(c, "network_connection (pipe_id, pipe_end, compound_id, station_id, heat_source_id, source)", rows, (w, r) =>
        {
            w.Write(r.PipeId); w.Write(r.AtStart ? "start" : "end");
            Nullable(w, r.Kind == "compound" ? (int?)r.TargetId : null); Nullable(w, r.Kind == "station" ? (int?)r.TargetId : null);
            Nullable(w, r.Kind == "heat_source" ? (int?)r.TargetId : null); w.Write(source);
        }, ct);

    private static async Task<ulong> Copy<T>(NpgsqlConnection c, string target, IEnumerable<T> rows, Action<NpgsqlBinaryImporter, T> write, CancellationToken ct)
    {
        await using var importer = await c.BeginBinaryImportAsync($"COPY {target} FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            write(importer, row);
        }
        return await importer.CompleteAsync(ct);
    }

    private static void Geo(NpgsqlBinaryImporter w, Geometry? g)
    {
        if (g is null) { w.WriteNull(); return; }
        if (g.SRID != 4326) { g = g.Copy(); g.SRID = 4326; }
        w.Write(g, NpgsqlDbType.Geometry);
    }

    private static void Text(NpgsqlBinaryImporter w, string? s)
    {
        if (s is null) w.WriteNull(); else w.Write(s);
    }

    private static void Nullable<TV>(NpgsqlBinaryImporter w, TV? v) where TV : struct
    {
        if (v is { } x) w.Write(x); else w.WriteNull();
    }
}

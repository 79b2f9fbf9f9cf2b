using GridMap.Domain.Rules;
using System.Globalization;
using System.Text.Json;
using GridMap.Domain.Partitioning;
using GridMap.Domain.Planning;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace GridMap.Storage.Planning;

/// <summary>A compound of a plan area (lon/lat footprint).</summary>
public sealed record AreaCompound(int Id, string Name, Geometry Footprint, int Households, string? Community, string? Street, string District);

/// <summary>A plan area loaded from the database: name, district, polygon (lon/lat), compounds and barrier roads.</summary>
public sealed record AreaData(PlanArea Area, string Name, string DistrictCode, MultiPolygon Polygon, IReadOnlyList<AreaCompound> Compounds, IReadOnlyList<Geometry> Barriers);

/// <summary>One cell of a new preview: 0-based index, 15-digit code, name and polygon (lon/lat); <paramref name="Undersize"/> when
/// the engine proved no cell within the bounds can hold its compounds.</summary>
public sealed record PreviewCell(int Index, string Code, string Name, MultiPolygon Area, bool Undersize = false);

/// <summary>A compound's cell and territory (lon/lat) in a new preview.</summary>
public sealed record PreviewAssignment(int CompoundId, int Cell, MultiPolygon Territory);

/// <summary>Everything a preview is saved from.</summary>
public sealed record PreviewDraft(PlanRequest Request, AreaData Area, double LowerBound, double UpperBound, double Target, object Search,
    IReadOnlyList<PreviewCell> Cells, IReadOnlyList<PreviewAssignment> Assignments)
{
    /// <summary>Pairs of compound ids whose adjacency across an arterial road the engine allowed (soft barriers).</summary>
    public IReadOnlyList<(int A, int B)> BarrierCrossings { get; init; } = [];
}

/// <summary>The outcome of publishing: the new version, the plans it superseded and how many compounds outside
/// the plan lost their cell because a superseded plan reached beyond this one's area.</summary>
public sealed record PublishResult(long PlanId, int Version, IReadOnlyList<long> Superseded, int OrphanedCompounds, IReadOnlyList<string> RenumberedCodes);

/// <summary>
/// Plans in PostGIS: previews (editable), published versions (the current plan of an area, mirrored into
/// grid_cell and compound.cell_code) and superseded versions (kept). Every write runs in one transaction with
/// the plan row locked, so concurrent edits of one plan serialise and a rejected edit leaves nothing behind.
/// Geometries are WGS84 lon/lat; metric work (staff distances) uses EPSG:4547.
/// </summary>
public sealed class PlanStore(NpgsqlDataSource db)
{
    private static string Sql(string name) => SqlScripts.Get($"Queries/{name}.sql");

    // ── areas ────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>Loads the area, its compounds and (when <paramref name="barriers"/>) the roads crossing it.
    /// Unknown code → <see cref="KeyNotFoundException"/>; an area without compounds is a rule violation.</summary>
    public async Task<AreaData> LoadAreaAsync(PlanArea area, bool barriers, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        string? name; string? district; int n, households; MultiPolygon? polygon;
        await using (var cmd = AreaCommand(conn, "planning_area", area))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            await r.ReadAsync(ct);
            name = r.IsDBNull(0) ? null : r.GetString(0);
            district = r.IsDBNull(1) ? null : r.GetString(1);
            n = r.IsDBNull(2) ? 0 : r.GetInt32(2);
            households = r.IsDBNull(3) ? 0 : r.GetInt32(3);
            polygon = r.IsDBNull(4) ? null : r.GetFieldValue<Geometry>(4) as MultiPolygon;
        }
        if (name is null) throw new KeyNotFoundException($"No {area.Kind} with code '{area.Code}'.");
        RuleViolation.Require(n > 0 && district is not null && polygon is not null && !polygon.IsEmpty, RuleCodes.AreaEmpty, $"{name} 范围内没有小区，无法划分网格 (no compounds in this area).");
        var compounds = new List<AreaCompound>(n);
        await using (var cmd = AreaCommand(conn, "planning_area_compounds", area))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                compounds.Add(new AreaCompound(r.GetInt32(0), r.GetString(1), r.GetFieldValue<Geometry>(2), r.GetInt32(3),
                    r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6)));
        var roads = new List<Geometry>();
        if (barriers)
        {
            await using var cmd = new NpgsqlCommand(Sql("planning_area_barriers"), conn);
            cmd.Parameters.AddWithValue("area", (Geometry)polygon!);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) roads.Add(r.GetFieldValue<Geometry>(0));
        }
        return new AreaData(area, name, district!, polygon!, compounds, roads);
    }

    /// <summary>Areas of one kind that hold compounds (code, name, compounds, households, largest compound, a point inside),
    /// optionally within one district, as a JSON array.</summary>
    public async Task<string> AreasJsonAsync(string kind, string? district, CancellationToken ct = default)
    {
        if (kind is not ("district" or "street" or "community")) throw new ArgumentException($"kind '{kind}' must be district, street or community.");
        if (district is not null && (district.Length != 6 || !district.All(char.IsAsciiDigit))) throw new ArgumentException($"district code '{district}' must be 6 digits.");
        await using var cmd = db.CreateCommand(Sql("planning_areas"));
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.Add(new NpgsqlParameter("district", NpgsqlDbType.Text) { Value = (object?)district ?? DBNull.Value });
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The area of <paramref name="kind"/> at a point, as JSON text: code, name, compounds, households and
    /// outline (GeoJSON, lon/lat); 404 when there is none there.</summary>
    public async Task<string> AreaAtJsonAsync(double lon, double lat, string kind, CancellationToken ct = default)
    {
        if (!(lon is >= -180 and <= 180 && lat is >= -90 and <= 90)) throw new ArgumentException($"point {lon},{lat} is not WGS84 lon/lat.");
        var column = Array.IndexOf(["district", "street", "community"], kind);
        if (column < 0) throw new ArgumentException($"kind '{kind}' must be district, street or community.");
        string? code;
        await using (var cmd = db.CreateCommand(Sql("planning_area_at")))
        {
            cmd.Parameters.AddWithValue("lon", lon); cmd.Parameters.AddWithValue("lat", lat);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            code = r.IsDBNull(column) ? null : r.GetString(column);
        }
        if (code is null) throw new KeyNotFoundException($"No {kind} at {lon:0.#####},{lat:0.#####}.");
        var area = new PlanArea(kind, code);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var q = AreaCommand(conn, "planning_area", area);
        await using var rd = await q.ExecuteReaderAsync(ct);
        await rd.ReadAsync(ct);
        var outline = rd.IsDBNull(4) ? null : rd.GetFieldValue<Geometry>(4);
        return JsonSerializer.Serialize(new
        {
            kind, code, key = area.Key,
            name = rd.IsDBNull(0) ? code : rd.GetString(0),
            compounds = rd.IsDBNull(2) ? 0 : rd.GetInt32(2),
            households = rd.IsDBNull(3) ? 0 : rd.GetInt32(3),
            outline,
        }, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Converters = { new NetTopologySuite.IO.Converters.GeoJsonConverterFactory() } });
    }

    private static NpgsqlCommand AreaCommand(NpgsqlConnection conn, string query, PlanArea area)
    {
        var cmd = new NpgsqlCommand(Sql(query), conn);
        cmd.Parameters.AddWithValue("kind", area.Kind);
        cmd.Parameters.Add(new NpgsqlParameter("code", NpgsqlDbType.Text) { Value = (object?)area.Code ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("polygon", NpgsqlDbType.Geometry) { Value = (object?)area.Polygon ?? DBNull.Value });
        return cmd;
    }

    /// <summary>Community code → name.</summary>
    public async Task<IReadOnlyDictionary<string, string>> CommunityNamesAsync(IEnumerable<string> codes, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(Sql("planning_community_names"));
        cmd.Parameters.AddWithValue("codes", codes.Distinct().ToArray());
        var names = new Dictionary<string, string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) names[r.GetString(0)] = r.GetString(1);
        return names;
    }

    // ── previews ─────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>Saves a new preview (plan, cells, compounds), marks each cell's contiguity, assigns staff; returns its id.</summary>
    public async Task<long> SavePreviewAsync(PreviewDraft d, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var q = d.Request;
        var parameters = JsonSerializer.Serialize(new
        {
            area = new { kind = q.Area.Kind, code = q.Area.Code },
            cells = q.Cells, tolerance = q.Cells is null ? (double?)null : q.Tolerance,
            minHouseholds = q.MinHouseholds, maxHouseholds = q.MaxHouseholds,
            barriers = q.Barriers, nest = q.Nest, seed = q.Seed, timeLimit = q.TimeLimitSeconds, objective = q.Objective,
        });
        long id;
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO plan (area_kind, area_code, area_key, area_name, district_code, area, params, lower_bound, upper_bound, target, search)
            VALUES (@kind, @code, @key, @name, @district, @area, @params::jsonb, @lower, @upper, @target, @search::jsonb) RETURNING id
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("kind", q.Area.Kind);
            cmd.Parameters.Add(new NpgsqlParameter("code", NpgsqlDbType.Text) { Value = (object?)q.Area.Code ?? DBNull.Value });
            cmd.Parameters.AddWithValue("key", q.Area.Key);
            cmd.Parameters.AddWithValue("name", d.Area.Name);
            cmd.Parameters.AddWithValue("district", d.Area.DistrictCode);
            cmd.Parameters.AddWithValue("area", (Geometry)d.Area.Polygon);
            cmd.Parameters.AddWithValue("params", parameters);
            cmd.Parameters.AddWithValue("lower", d.LowerBound);
            cmd.Parameters.AddWithValue("upper", d.UpperBound);
            cmd.Parameters.AddWithValue("target", d.Target);
            cmd.Parameters.AddWithValue("search", JsonSerializer.Serialize(d.Search));
            id = (long)(await cmd.ExecuteScalarAsync(ct))!;
        }
        await using (var batch = new NpgsqlBatch(conn, tx))
        {
            foreach (var c in d.Cells)
            {
                var b = new NpgsqlBatchCommand("INSERT INTO plan_cell (plan_id, idx, code, name, area, undersize) VALUES (@p, @i, @c, @n, @a, @u)");
                b.Parameters.AddWithValue("p", id); b.Parameters.AddWithValue("i", c.Index); b.Parameters.AddWithValue("c", c.Code);
                b.Parameters.AddWithValue("u", c.Undersize);
                b.Parameters.AddWithValue("n", c.Name); b.Parameters.AddWithValue("a", (Geometry)c.Area);
                batch.BatchCommands.Add(b);
            }
            foreach (var (ca, cb) in d.BarrierCrossings)
            {
                var b = new NpgsqlBatchCommand("INSERT INTO plan_barrier_crossing (plan_id, compound_a, compound_b) VALUES (@p, @a, @b)");
                b.Parameters.AddWithValue("p", id); b.Parameters.AddWithValue("a", Math.Min(ca, cb)); b.Parameters.AddWithValue("b", Math.Max(ca, cb));
                batch.BatchCommands.Add(b);
            }
            foreach (var a in d.Assignments)
            {
                var b = new NpgsqlBatchCommand("INSERT INTO plan_compound (plan_id, compound_id, cell_idx, territory) VALUES (@p, @c, @i, @t)");
                b.Parameters.AddWithValue("p", id); b.Parameters.AddWithValue("c", a.CompoundId); b.Parameters.AddWithValue("i", a.Cell);
                b.Parameters.AddWithValue("t", (Geometry)a.Territory);
                batch.BatchCommands.Add(b);
            }
            await batch.ExecuteNonQueryAsync(ct);
        }
        // Contiguity as the store sees it (territories + roads), the same rule every later edit is checked with.
        var all = d.Cells.Select(c => c.Index).ToArray();
        var edges = await AdjacencyAsync(conn, tx, id, all, q.Barriers, ct);
        var members = d.Assignments.GroupBy(a => a.Cell).ToDictionary(g => g.Key, g => g.Select(a => a.CompoundId).ToList());
        var broken = all.Where(c => !PlanEditor.IsContiguous(members.GetValueOrDefault(c) ?? [], edges)).ToArray();
        if (broken.Length > 0)
            await Exec(conn, tx, "UPDATE plan_cell SET contiguous = false WHERE plan_id = @plan AND idx = ANY(@cells)", ct, ("plan", id), ("cells", broken));
        await AutoAssignAsync(conn, tx, id, ct);
        await tx.CommitAsync(ct);
        return id;
    }

    // ── reads ────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>The plan with per-cell statistics and totals, as JSON text; 404 when there is no such plan.</summary>
    public Task<string> PlanJsonAsync(long id, CancellationToken ct = default) => PlanJson("planning_plan", id, ct);

    /// <summary>The plan's cells as a GeoJSON FeatureCollection.</summary>
    public Task<string> CellsGeoJsonAsync(long id, CancellationToken ct = default) => PlanJson("planning_cells_geojson", id, ct);

    /// <summary>The plan's compounds (footprints with their cell) as a GeoJSON FeatureCollection.</summary>
    public Task<string> CompoundsGeoJsonAsync(long id, CancellationToken ct = default) => PlanJson("planning_compounds_geojson", id, ct);

    private async Task<string> PlanJson(string query, long id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await EnsurePlanExists(conn, id, ct);
        await using var cmd = new NpgsqlCommand(Sql(query), conn);
        cmd.Parameters.AddWithValue("plan", id);
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The stretches of boundary cells <paramref name="a"/> and <paramref name="b"/> share, as a JSON array of GeoJSON LineStrings (longest first).</summary>
    public async Task<string> SharedEdgesJsonAsync(long id, int a, int b, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await EnsurePlanExists(conn, id, ct);
        await EnsureCells(conn, null, id, [a, b], ct);
        await using var cmd = new NpgsqlCommand(Sql("planning_shared_edges"), conn);
        cmd.Parameters.AddWithValue("plan", id); cmd.Parameters.AddWithValue("a", a); cmd.Parameters.AddWithValue("b", b);
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Plans (newest first) as a JSON array, filtered by area key and/or status.</summary>
    public async Task<string> PlansJsonAsync(string? areaKey, string? status, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand(Sql("planning_plans"));
        cmd.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = (object?)areaKey ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("status", NpgsqlDbType.Text) { Value = (object?)status ?? DBNull.Value });
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Id of the current (published) plan of an area, or null.</summary>
    public async Task<long?> CurrentPlanIdAsync(string areaKey, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("SELECT id FROM plan WHERE area_key = @key AND status = 'published'");
        cmd.Parameters.AddWithValue("key", areaKey);
        return await cmd.ExecuteScalarAsync(ct) as long?;
    }

    // ── edits ────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>Moves a compound to a neighbouring cell (rules: <see cref="PlanEditor.CheckMove"/>); returns the cell it left.</summary>
    public async Task<int> MoveCompoundAsync(long id, int compoundId, int toCell, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var plan = await LockEditable(conn, tx, id, ct);
        int from;
        await using (var cmd = new NpgsqlCommand("SELECT cell_idx FROM plan_compound WHERE plan_id = @plan AND compound_id = @c", conn, tx))
        {
            cmd.Parameters.AddWithValue("plan", id); cmd.Parameters.AddWithValue("c", compoundId);
            from = await cmd.ExecuteScalarAsync(ct) as int? ?? throw new KeyNotFoundException($"Compound {compoundId} is not in plan {id}.");
        }
        var cells = await EnsureCells(conn, tx, id, [toCell], ct);
        var units = await UnitsAsync(conn, tx, id, [from, toCell], ct);
        var edges = await AdjacencyAsync(conn, tx, id, [from, toCell], plan.Barriers, ct);
        PlanEditor.CheckMove(units, edges, cells.Where(c => c.Value.Locked).Select(c => c.Key).ToHashSet(), compoundId, toCell, plan.Nest, c => Label(cells, c));
        await Exec(conn, tx, "UPDATE plan_compound SET cell_idx = @to WHERE plan_id = @plan AND compound_id = @c", ct, ("to", toCell), ("plan", id), ("c", compoundId));
        await Exec(conn, tx, Sql("planning_cell_union"), ct, ("plan", id), ("cells", new[] { from, toCell }));
        var toMembers = units.Where(u => u.Cell == toCell).Select(u => u.Id).Append(compoundId).ToList();
        await Exec(conn, tx, "UPDATE plan_cell SET contiguous = (idx = @from OR @toOk) WHERE plan_id = @plan AND idx = ANY(@cells)", ct,
            ("from", from), ("toOk", PlanEditor.IsContiguous(toMembers, edges)), ("plan", id), ("cells", new[] { from, toCell }));
        await tx.CommitAsync(ct);
        return from;
    }

    /// <summary>Locks or unlocks a cell (a locked cell keeps its compounds and shape).</summary>
    public async Task SetLockedAsync(long id, int idx, bool locked, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await LockEditable(conn, tx, id, ct);
        await EnsureCells(conn, tx, id, [idx], ct);
        await Exec(conn, tx, "UPDATE plan_cell SET locked = @l WHERE plan_id = @plan AND idx = @i", ct, ("l", locked), ("plan", id), ("i", idx));
        await tx.CommitAsync(ct);
    }

    /// <summary>Redraws the edge cells <paramref name="a"/> and <paramref name="b"/> share (rules: <see cref="PlanEditor.RedrawEdge"/>,
    /// then both cells must stay contiguous through the plan's barriers); returns the compounds that changed cell.</summary>
    public async Task<IReadOnlyList<int>> RedrawEdgeAsync(long id, int a, int b, LineString edge, CancellationToken ct = default)
    {
        if (a == b) throw new ArgumentException("an edge is shared by two different cells.");
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var plan = await LockEditable(conn, tx, id, ct);
        var cells = await EnsureCells(conn, tx, id, [a, b], ct);
        foreach (var c in new[] { a, b })
            RuleViolation.Require(!cells[c].Locked, RuleCodes.CellLocked, $"{Label(cells, c)} 已锁定，不能修改边界 (cell is locked).");
        var units = await UnitsAsync(conn, tx, id, [a, b], ct);
        // 1e-6° ≈ 0.1 m: the client's ends, projected to the screen and back, land within a few nanodegrees.
        var redraw = PlanEditor.RedrawEdge(cells[a].Area, cells[b].Area, a, b, edge, units, 1e-6, c => Label(cells, c));
        await using (var batch = new NpgsqlBatch(conn, tx))
        {
            foreach (var u in redraw.Units)
            {
                var cmd = new NpgsqlBatchCommand("UPDATE plan_compound SET cell_idx = @i, territory = ST_Multi(@t) WHERE plan_id = @plan AND compound_id = @c");
                cmd.Parameters.AddWithValue("i", u.Cell); cmd.Parameters.AddWithValue("t", u.Territory);
                cmd.Parameters.AddWithValue("plan", id); cmd.Parameters.AddWithValue("c", u.Id);
                batch.BatchCommands.Add(cmd);
            }
            foreach (var (idx, poly) in new[] { (a, redraw.CellA), (b, redraw.CellB) })
            {
                var cmd = new NpgsqlBatchCommand("UPDATE plan_cell SET area = ST_Multi(@g), contiguous = true WHERE plan_id = @plan AND idx = @i");
                cmd.Parameters.AddWithValue("g", poly); cmd.Parameters.AddWithValue("plan", id); cmd.Parameters.AddWithValue("i", idx);
                batch.BatchCommands.Add(cmd);
            }
            await batch.ExecuteNonQueryAsync(ct);
        }
        var edges = await AdjacencyAsync(conn, tx, id, [a, b], plan.Barriers, ct);
        foreach (var c in new[] { a, b })
            PlanEditor.EnsureContiguous(redraw.Units.Where(u => u.Cell == c).Select(u => u.Id).ToList(), edges, Label(cells, c));
        await tx.CommitAsync(ct);
        return redraw.Reassigned;
    }

    // ── staff ────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>Assigns staff to every cell that has no pinned staff (StaffAssigner: least total travel within the branch).</summary>
    public async Task AutoAssignStaffAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await LockEditable(conn, tx, id, ct);
        await AutoAssignAsync(conn, tx, id, ct);
        await tx.CommitAsync(ct);
    }

    private async Task AutoAssignAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long id, CancellationToken ct)
    {
        var sites = new List<(int Idx, double X, double Y, int? Staff, bool Pinned)>();
        await using (var cmd = new NpgsqlCommand(Sql("planning_cell_sites"), conn, tx))
        {
            cmd.Parameters.AddWithValue("plan", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) sites.Add((r.GetInt32(0), r.GetDouble(1), r.GetDouble(2), r.IsDBNull(3) ? null : r.GetInt32(3), r.GetBoolean(4)));
        }
        var staff = await StaffAsync(conn, tx, id, ct);
        var pins = sites.Where(s => s.Pinned && s.Staff is not null).ToDictionary(s => s.Idx, s => s.Staff!.Value.ToString(CultureInfo.InvariantCulture));
        var members = staff.Where(s => !s.Busy || pins.ContainsValue(s.Id.ToString(CultureInfo.InvariantCulture)))
            .Select(s => new StaffMember(s.Id.ToString(CultureInfo.InvariantCulture), s.X, s.Y)).ToList();
        var cellSites = sites.Select(s => new CellSite(s.Idx, s.X, s.Y)).ToList();
        // Road distances (StaffTravel: pgRouting over the noded roads; straight line × detour where a point is off the network).
        var travel = await StaffTravel.MatrixAsync(conn, tx, members, cellSites, ct);
        var result = StaffAssigner.Assign(cellSites, members, pins, travel.Costs);
        await using var batch = new NpgsqlBatch(conn, tx);
        foreach (var s in sites)
        {
            var cmd = new NpgsqlBatchCommand("UPDATE plan_cell SET staff_id = @s WHERE plan_id = @plan AND idx = @i");
            cmd.Parameters.Add(new NpgsqlParameter("s", NpgsqlDbType.Integer)
            { Value = result.StaffOf.TryGetValue(s.Idx, out var sid) ? int.Parse(sid, CultureInfo.InvariantCulture) : DBNull.Value });
            cmd.Parameters.AddWithValue("plan", id); cmd.Parameters.AddWithValue("i", s.Idx);
            batch.BatchCommands.Add(cmd);
        }
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Assigns <paramref name="staffId"/> to a cell by hand (pinned: auto-assign keeps it), or clears it when null.</summary>
    public async Task AssignStaffAsync(long id, int idx, int? staffId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await LockEditable(conn, tx, id, ct);
        var cells = await EnsureCells(conn, tx, id, [idx], ct);
        if (staffId is { } sid)
        {
            var staff = await StaffAsync(conn, tx, id, ct);
            var s = staff.FirstOrDefault(x => x.Id == sid);
            if (s is null)
            {
                await using var cmd = new NpgsqlCommand("SELECT role FROM staff WHERE id = @s", conn, tx);
                cmd.Parameters.AddWithValue("s", sid);
                var role = await cmd.ExecuteScalarAsync(ct) as string ?? throw new KeyNotFoundException($"No staff member with id {sid}.");
                throw new RuleViolation(role == "grid_worker" ? RuleCodes.StaffOtherBranch : RuleCodes.NotGridWorker, role == "grid_worker"
                    ? $"网格员 {sid} 不属于本区所在分公司 (staff member is in another branch)."
                    : $"员工 {sid} 不是网格员（{role}）(only grid workers can be responsible for a cell).");
            }
            RuleViolation.Require(s!.Cell is null || s.Cell == idx, RuleCodes.StaffBusy, $"网格员 {s.Name} 已负责{Label(cells, s.Cell ?? 0)}，请先取消 (already responsible for another cell of this plan).");
            RuleViolation.Require(!s.Busy, RuleCodes.StaffBusy, $"网格员 {s.Name} 已负责其他现行方案的网格 (already responsible for a cell of another current plan).");
        }
        await Exec(conn, tx, "UPDATE plan_cell SET staff_id = @s, staff_pinned = @pin WHERE plan_id = @plan AND idx = @i", ct,
            ("s", staffId is null ? DBNull.Value : staffId.Value), ("pin", staffId is not null), ("plan", id), ("i", idx));
        await tx.CommitAsync(ct);
    }

    /// <summary>Staff who could take a cell but have none, and the cells without staff, as JSON text.</summary>
    public async Task<string> StaffJsonAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await EnsurePlanExists(conn, id, ct, tx);
        var staff = await StaffAsync(conn, tx, id, ct);
        var cells = await CellsAsync(conn, tx, id, ct);
        var json = JsonSerializer.Serialize(new
        {
            planId = id,
            staff = staff.Select(s => new { id = s.Id, name = s.Name, cell = s.Cell, busyElsewhere = s.Busy }),
            staffWithoutCells = staff.Where(s => s.Cell is null && !s.Busy).Select(s => new { id = s.Id, name = s.Name }),
            cellsWithoutStaff = cells.Where(c => c.Value.Staff is null).Select(c => new { idx = c.Key, code = c.Value.Code }),
        }, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        await tx.CommitAsync(ct);
        return json;
    }

    private sealed record StaffRow(int Id, string Name, double X, double Y, bool Busy, int? Cell);

    private static async Task<List<StaffRow>> StaffAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long id, CancellationToken ct)
    {
        var replaced = await ReplacedAsync(conn, tx, id, ct);
        await using var cmd = new NpgsqlCommand(Sql("planning_staff"), conn, tx);
        cmd.Parameters.AddWithValue("plan", id); cmd.Parameters.AddWithValue("replaced", replaced);
        var list = new List<StaffRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new StaffRow(r.GetInt32(0), r.GetString(1), r.GetDouble(3), r.GetDouble(4), r.GetBoolean(5), r.IsDBNull(6) ? null : r.GetInt32(6)));
        return list;
    }

    // ── publish ──────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>Publishes a preview as the next version of its area (one transaction); see planning_publish.sql.</summary>
    public async Task<PublishResult> PublishAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Publishing replaces rows other publishers may touch: serialise publishes (transaction-scoped lock).
        await Exec(conn, tx, "SELECT pg_advisory_xact_lock(7072657669657773)", ct);
        var status = await PlanStatus(conn, tx, id, ct);
        RuleViolation.Require(status == "preview", RuleCodes.NotPreview, $"方案 {id} 状态为 {status}，只能发布预览方案 (only a preview can be published).");
        var cells = await CellsAsync(conn, tx, id, ct);
        var broken = cells.Where(c => !c.Value.Contiguous).Select(c => Label(cells, c.Key)).ToList();
        RuleViolation.Require(broken.Count == 0, RuleCodes.NotContiguous, $"{string.Join("、", broken)} 不连通，不能发布 (every cell must be contiguous).");
        var replaced = await ReplacedAsync(conn, tx, id, ct);
        // Codes of cells that stay (other areas' plans) must not be taken twice: renumber any collision.
        var inUse = new HashSet<string>();
        await using (var cmd = new NpgsqlCommand(Sql("planning_codes_in_use"), conn, tx))
        {
            cmd.Parameters.AddWithValue("plan", id); cmd.Parameters.AddWithValue("replaced", replaced);
            cmd.Parameters.AddWithValue("prefixes", cells.Values.Select(c => c.Code[..12]).Distinct().ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) inUse.Add(r.GetString(0));
        }
        var renumbered = new List<string>();
        var taken = new HashSet<string>(inUse.Concat(cells.Values.Select(c => c.Code)));
        foreach (var (idx, cell) in cells.Where(c => inUse.Contains(c.Value.Code)).ToList())
        {
            var prefix = cell.Code[..12];
            var free = Enumerable.Range(1, 999).Select(s => prefix + s.ToString("000", CultureInfo.InvariantCulture)).FirstOrDefault(c => !taken.Contains(c));
            RuleViolation.Require(free is not null, RuleCodes.CodesExhausted, $"社区 {prefix} 的网格编号已用完 (999 cells).");
            taken.Add(free!);
            await Exec(conn, tx, "UPDATE plan_cell SET code = @c WHERE plan_id = @plan AND idx = @i", ct, ("c", free!), ("plan", id), ("i", idx));
            renumbered.Add($"{cell.Code}→{free}");
        }
        int orphans;
        await using (var cmd = new NpgsqlCommand(Sql("planning_orphans"), conn, tx))
        {
            cmd.Parameters.AddWithValue("plan", id); cmd.Parameters.AddWithValue("replaced", replaced);
            orphans = (int)(await cmd.ExecuteScalarAsync(ct))!;
        }
        await Exec(conn, tx, Sql("planning_publish"), ct, ("plan", id), ("replaced", replaced));
        int version;
        await using (var cmd = new NpgsqlCommand("SELECT version FROM plan WHERE id = @plan", conn, tx))
        {
            cmd.Parameters.AddWithValue("plan", id);
            version = (int)(await cmd.ExecuteScalarAsync(ct))!;
        }
        await tx.CommitAsync(ct);
        return new PublishResult(id, version, replaced, orphans, renumbered);
    }

    // ── helpers ──────────────────────────────────────────────────────────────────────────────────────────

    private sealed record PlanRow(string Status, bool Barriers, bool Nest);
    private sealed record CellRow(string Code, bool Locked, int? Staff, bool Contiguous, Geometry Area);

    private static string Label(IReadOnlyDictionary<int, CellRow> cells, int idx) =>
        cells.TryGetValue(idx, out var c) ? $"网格 {c.Code}" : $"网格 {idx}";

    private static async Task<PlanRow> LockEditable(NpgsqlConnection conn, NpgsqlTransaction tx, long id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT status, coalesce((params->>'barriers')::bool, true), coalesce((params->>'nest')::bool, false) FROM plan WHERE id = @plan FOR UPDATE", conn, tx);
        cmd.Parameters.AddWithValue("plan", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) throw new KeyNotFoundException($"No plan with id {id}.");
        var row = new PlanRow(r.GetString(0), r.GetBoolean(1), r.GetBoolean(2));
        await r.CloseAsync();
        PlanEditor.EnsureEditable(row.Status, id);
        return row;
    }

    private static async Task<string> PlanStatus(NpgsqlConnection conn, NpgsqlTransaction tx, long id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT status FROM plan WHERE id = @plan FOR UPDATE", conn, tx);
        cmd.Parameters.AddWithValue("plan", id);
        return await cmd.ExecuteScalarAsync(ct) as string ?? throw new KeyNotFoundException($"No plan with id {id}.");
    }

    private static async Task EnsurePlanExists(NpgsqlConnection conn, long id, CancellationToken ct, NpgsqlTransaction? tx = null)
    {
        await using var cmd = new NpgsqlCommand("SELECT 1 FROM plan WHERE id = @plan", conn, tx);
        cmd.Parameters.AddWithValue("plan", id);
        if (await cmd.ExecuteScalarAsync(ct) is null) throw new KeyNotFoundException($"No plan with id {id}.");
    }

    private static async Task<Dictionary<int, CellRow>> CellsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, long id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT idx, code::text, locked, staff_id, contiguous, area FROM plan_cell WHERE plan_id = @plan ORDER BY idx", conn, tx);
        cmd.Parameters.AddWithValue("plan", id);
        var cells = new Dictionary<int, CellRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            cells[r.GetInt32(0)] = new CellRow(r.GetString(1), r.GetBoolean(2), r.IsDBNull(3) ? null : r.GetInt32(3), r.GetBoolean(4), r.GetFieldValue<Geometry>(5));
        return cells;
    }

    private static async Task<Dictionary<int, CellRow>> EnsureCells(NpgsqlConnection conn, NpgsqlTransaction? tx, long id, int[] wanted, CancellationToken ct)
    {
        var cells = await CellsAsync(conn, tx, id, ct);
        foreach (var c in wanted)
            if (!cells.ContainsKey(c)) throw new KeyNotFoundException($"Plan {id} has no cell {c} (cells are 0–{cells.Count - 1}).");
        return cells;
    }

    private static async Task<List<PlanUnit>> UnitsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long id, int[] cells, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(Sql("planning_units"), conn, tx);
        cmd.Parameters.AddWithValue("plan", id); cmd.Parameters.AddWithValue("cells", cells);
        var list = new List<PlanUnit>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new PlanUnit(r.GetInt32(0), r.GetInt32(1), r.GetFieldValue<Geometry>(2), r.GetFieldValue<Geometry>(3), r.GetInt32(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6)));
        return list;
    }

    private static async Task<List<(int A, int B)>> AdjacencyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long id, int[] cells, bool barriers, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(Sql("planning_adjacency"), conn, tx);
        cmd.Parameters.AddWithValue("plan", id); cmd.Parameters.AddWithValue("cells", cells); cmd.Parameters.AddWithValue("barriers", barriers);
        var list = new List<(int, int)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add((r.GetInt32(0), r.GetInt32(1)));
        return list;
    }

    private static async Task<long[]> ReplacedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(Sql("planning_replaced"), conn, tx);
        cmd.Parameters.AddWithValue("plan", id);
        var list = new List<long>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(r.GetInt64(0));
        return list.ToArray();
    }

    private static async Task Exec(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct, params (string Name, object Value)[] ps)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        foreach (var (n, v) in ps) cmd.Parameters.AddWithValue(n, v);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

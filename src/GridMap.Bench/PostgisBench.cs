using System.Diagnostics;
using GridMap.Storage;
using GridMap.Storage.Layers;
using GridMap.Storage.Network;
using Npgsql;

namespace GridMap.Bench;

/// <summary>
/// PostGIS benchmarks, each beside its reference in the same run on the same database:
/// nearest pipes on 1,000,000 synthetic segments (GridMap's re-ranked query vs the bare KNN query), and
/// vector tiles of the demo city (GridMap's tile query vs a bare ST_AsMVT with fixed columns), and the staff ×
/// cell road-distance matrix for a whole district (StaffTravel, pgr_dijkstraCost) vs the straight-line matrix.
/// </summary>
internal static class PostgisBench
{
    public static int Run(string[] args)
    {
        var admin = Environment.GetEnvironmentVariable("GRIDMAP_OWNER_DB") is { Length: > 0 } o ? o : Environment.GetEnvironmentVariable("GRIDMAP_DB"); // creates databases: the owner
        if (string.IsNullOrEmpty(admin)) { Console.Error.WriteLine("postgis bench: GRIDMAP_DB is not set (scripts/bench sets it)"); return 1; }
        // `postgis travel` runs only the staff-travel matrix (it needs the demo city, not the 1,000,000 segments).
        if (args.Length > 0 && args[0] == "travel") { StaffTravelMatrix(admin).GetAwaiter().GetResult(); return 0; }
        var segments = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        NearestPipes(admin, segments).GetAwaiter().GetResult();
        Tiles(admin).GetAwaiter().GetResult();
        StaffTravelMatrix(admin).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task NearestPipes(string admin, int segments)
    {
        var name = "gridmap_bench";
        await using (var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin) { Database = "postgres" }.ConnectionString))
        {
            await c.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE); ", c);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            await create.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = name, CommandTimeout = 600 }.ConnectionString;
        await using var db = GridMapDatabase.Create(cs);
        await Migrator.MigrateAsync(db);
        var sw = Stopwatch.StartNew();
        // A street grid of ~45 m segments over ~35 × 35 km around Zhengzhou, with jitter so no two rows align.
        var rows = (int)Math.Ceiling(Math.Sqrt(segments));
        await using (var fill = db.CreateCommand($"""
            ALTER TABLE pipe DROP CONSTRAINT pipe_geom_check;
            DROP INDEX pipe_geom_gix;
            INSERT INTO pipe (id, level, flow, dn, depth_m, geom)
            SELECT i::bigint * {rows} + j + 1, CASE WHEN i % 10 = 0 THEN 'primary' ELSE 'secondary' END, 'supply',
                   CASE WHEN i % 10 = 0 THEN 500 ELSE 150 END, 1.5,
                   ST_MakeLine(ST_MakePoint(113.45 + j * 0.0005 + (random() - 0.5) * 0.0001, 34.60 + i * 0.0003),
                               ST_MakePoint(113.45 + (j + 1) * 0.0005, 34.60 + i * 0.0003 + (random() - 0.5) * 0.0001))
            FROM generate_series(0, {rows - 1}) i, generate_series(0, {rows - 1}) j
            WHERE i::bigint * {rows} + j < {segments};
            CREATE INDEX pipe_geom_gix ON pipe USING gist (geom);
            ANALYZE pipe;
            """)) await fill.ExecuteNonQueryAsync();
        Console.Error.WriteLine($"postgis bench: {segments:N0} segments loaded and indexed in {sw.Elapsed.TotalSeconds:0.0} s");

        var locator = new PipeLocator(db);
        var rnd = new Random(7);
        var points = Enumerable.Range(0, 2000).Select(_ => (113.45 + rnd.NextDouble() * rows * 0.0005, 34.60 + rnd.NextDouble() * rows * 0.0003)).ToArray();
        const string bare = "SELECT id FROM pipe ORDER BY geom <-> ST_SetSRID(ST_MakePoint(@lon, @lat), 4326) LIMIT 5";
        for (var i = 0; i < 100; i++) await locator.NearestAsync(points[i].Item1, points[i].Item2); // warm up
        var ours = new List<double>();
        var reference = new List<double>();
        foreach (var (lon, lat) in points)
        {
            var t = Stopwatch.GetTimestamp();
            var found = await locator.NearestAsync(lon, lat, 5);
            ours.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            if (found.Count != 5) throw new InvalidOperationException("nearest query returned fewer than 5 pipes");
            t = Stopwatch.GetTimestamp();
            await using var cmd = db.CreateCommand(bare);
            cmd.Parameters.AddWithValue("lon", lon);
            cmd.Parameters.AddWithValue("lat", lat);
            await using (var r = await cmd.ExecuteReaderAsync()) while (await r.ReadAsync()) { }
            reference.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        Console.WriteLine();
        Console.WriteLine($"### Nearest pipes (k = 5) on {segments:N0} segments, {points.Length} random positions");
        Console.WriteLine();
        Console.WriteLine("| query | p50 ms | p95 ms | p99 ms | goal |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        Console.WriteLine($"| GridMap `PipeLocator` (KNN ×8 candidates, re-ranked in metres, bearing) | {P(ours, 50):0.00} | {P(ours, 95):0.00} | {P(ours, 99):0.00} | p99 ≤ 20 ms: {(P(ours, 99) <= 20 ? "met" : "NOT met")} |");
        Console.WriteLine($"| reference: bare KNN `ORDER BY geom <-> pt LIMIT 5` | {P(reference, 50):0.00} | {P(reference, 95):0.00} | {P(reference, 99):0.00} | |");
        await using (var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin) { Database = "postgres" }.ConnectionString))
        {
            NpgsqlConnection.ClearAllPools();
            await c.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", c);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static async Task Tiles(string cs)
    {
        await using var db = GridMapDatabase.Create(cs);
        await using (var check = db.CreateCommand("SELECT count(*) FROM compound"))
            if ((long)(await check.ExecuteScalarAsync())! == 0) { Console.Error.WriteLine("postgis bench: no demo city in GRIDMAP_DB; tile benchmark skipped"); return; }
        var store = new LayerStore(db, LayerCatalog.Default);
        // Every z14 tile over the urban core (about 30 × 25 km).
        var tiles = new List<(int Z, int X, int Y)>();
        var (x0, y0) = Tile(113.55, 34.85, 14);
        var (x1, y1) = Tile(113.80, 34.68, 14);
        for (var x = x0; x <= x1; x++) for (var y = y0; y <= y1; y++) tiles.Add((14, x, y));
        const string bare = """
            SELECT ST_AsMVT(q, 'compounds', 4096, 'g') FROM (
              SELECT ST_AsMVTGeom(ST_Transform(footprint, 3857), ST_TileEnvelope(@z, @x, @y), 4096, 64, true) AS g, id, retrofit_status, households
              FROM compound WHERE footprint && ST_Transform(ST_TileEnvelope(@z, @x, @y), 4326)) q WHERE g IS NOT NULL
            """;
        foreach (var t in tiles.Take(20)) await store.TileAsync("compounds", t.Z, t.X, t.Y);
        var ours = new List<double>();
        var reference = new List<double>();
        long bytes = 0;
        foreach (var (z, x, y) in tiles)
        {
            var t0 = Stopwatch.GetTimestamp();
            bytes += (await store.TileAsync("compounds", z, x, y)).Length;
            ours.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            t0 = Stopwatch.GetTimestamp();
            await using var cmd = db.CreateCommand(bare);
            cmd.Parameters.AddWithValue("z", z); cmd.Parameters.AddWithValue("x", x); cmd.Parameters.AddWithValue("y", y);
            await cmd.ExecuteScalarAsync();
            reference.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        Console.WriteLine();
        Console.WriteLine($"### Compound vector tiles, {tiles.Count} z14 tiles over the demo city ({bytes / 1024.0:0} KiB in all)");
        Console.WriteLine();
        Console.WriteLine("| query | p50 ms | p95 ms | p99 ms | ratio p50 |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine($"| GridMap tile (`layer_compounds` view, all attributes as jsonb) | {P(ours, 50):0.00} | {P(ours, 95):0.00} | {P(ours, 99):0.00} | {P(ours, 50) / P(reference, 50):0.00} |");
        Console.WriteLine($"| reference: bare `ST_AsMVT` (3 columns, table) | {P(reference, 50):0.00} | {P(reference, 95):0.00} | {P(reference, 99):0.00} | 1.00 |");
    }

    /// <summary>
    /// Road-distance matrix for staff assignment over the demo city: every grid worker of 金水区's branch to a site in
    /// every compound of the district (1,534 sites; a district plan at the 300–500 household norm has about 1,000
    /// cells) and of its largest street (a street plan), timed beside the straight-line matrix of the same points
    /// computed in the same database. The routing graph is rebuilt once first (timed separately).
    /// </summary>
    private static async Task StaffTravelMatrix(string cs)
    {
        await using var db = GridMapDatabase.Create(new NpgsqlConnectionStringBuilder(cs) { CommandTimeout = 600 }.ConnectionString);
        await using (var check = db.CreateCommand("SELECT count(*) FROM compound WHERE district_code = '410105'"))
            if ((long)(await check.ExecuteScalarAsync())! == 0) { Console.Error.WriteLine("postgis bench: no demo city in GRIDMAP_DB; staff travel benchmark skipped"); return; }
        await Migrator.MigrateAsync(db);
        await using var conn = await db.OpenConnectionAsync();
        var staff = new List<GridMap.Domain.Partitioning.StaffMember>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT s.id, ST_X(ST_Transform(s.base, 4547)), ST_Y(ST_Transform(s.base, 4547))
            FROM staff s JOIN district d ON d.branch_id = s.branch_id WHERE d.code = '410105' AND s.role = 'grid_worker' ORDER BY s.id
            """, conn))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) staff.Add(new(r.GetInt32(0).ToString(System.Globalization.CultureInfo.InvariantCulture), r.GetDouble(1), r.GetDouble(2)));
        async Task<List<GridMap.Domain.Partitioning.CellSite>> Sites(string where)
        {
            var list = new List<GridMap.Domain.Partitioning.CellSite>();
            await using var cmd = new NpgsqlCommand($"""
                SELECT id, ST_X(ST_Transform(ST_PointOnSurface(footprint), 4547)), ST_Y(ST_Transform(ST_PointOnSurface(footprint), 4547))
                FROM compound WHERE {where} ORDER BY id
                """, conn);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) list.Add(new(r.GetInt32(0), r.GetDouble(1), r.GetDouble(2)));
            return list;
        }
        var district = await Sites("district_code = '410105'");
        var street = await Sites("street_code = (SELECT street_code FROM compound WHERE district_code = '410105' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)");

        var t0 = Stopwatch.GetTimestamp();
        await Storage.Planning.StaffTravel.RefreshAsync(conn, null, force: true);
        var refreshMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        int edges, vertices, roads;
        await using (var cmd = new NpgsqlCommand("SELECT edges, vertices, (SELECT count(*)::int FROM road) FROM road_route_state", conn))
        await using (var r = await cmd.ExecuteReaderAsync()) { await r.ReadAsync(); edges = r.GetInt32(0); vertices = r.GetInt32(1); roads = r.GetInt32(2); }

        const string straightSql = """
            SELECT s.i, c.i, ST_Distance(ST_SetSRID(ST_MakePoint(s.x, s.y), 4547), ST_SetSRID(ST_MakePoint(c.x, c.y), 4547))
            FROM unnest(@sx::float8[], @sy::float8[]) WITH ORDINALITY AS s(x, y, i), unnest(@cx::float8[], @cy::float8[]) WITH ORDINALITY AS c(x, y, i)
            ORDER BY 1, 2
            """;
        Console.WriteLine();
        Console.WriteLine($"### Staff × cell road-distance matrix (金水区: {staff.Count} grid workers of its branch; routing graph {roads} roads → {edges:N0} edges, {vertices:N0} vertices, rebuilt in {refreshMs:0} ms)");
        Console.WriteLine();
        Console.WriteLine("| sites | pairs | query | median ms (5 runs) | pairs / s | by road | road / straight (median) | ratio to straight-line |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|");
        foreach (var (label, sites) in new[] { ($"largest street ({street.Count} compounds)", street), ($"whole district ({district.Count} compounds)", district) })
        {
            var road = new List<double>();
            var straight = new List<double>();
            Storage.Planning.StaffTravelMatrix? m = null;
            for (var run = 0; run < 5; run++)
            {
                var t = Stopwatch.GetTimestamp();
                m = await Storage.Planning.StaffTravel.MatrixAsync(conn, null, staff, sites);
                road.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                t = Stopwatch.GetTimestamp();
                await using var cmd = new NpgsqlCommand(straightSql, conn);
                cmd.Parameters.AddWithValue("sx", staff.Select(s => s.X).ToArray()); cmd.Parameters.AddWithValue("sy", staff.Select(s => s.Y).ToArray());
                cmd.Parameters.AddWithValue("cx", sites.Select(s => s.X).ToArray()); cmd.Parameters.AddWithValue("cy", sites.Select(s => s.Y).ToArray());
                var rows = 0;
                await using (var r = await cmd.ExecuteReaderAsync()) while (await r.ReadAsync()) { r.GetDouble(2); rows++; }
                straight.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                if (rows != m.Pairs.Count) throw new InvalidOperationException("straight-line matrix has a different size");
            }
            var pairs = m!.Pairs.Count;
            var routed = m.Pairs.Where(p => p.Source == Storage.Planning.TravelSource.Road && p.StraightMetres > 0).Select(p => p.Metres / p.StraightMetres).Order().ToArray();
            double roadMs = P(road, 50), straightMs = P(straight, 50);
            Console.WriteLine($"| {label} | {pairs:N0} | GridMap `StaffTravel.MatrixAsync` (pgr_dijkstraCost many-to-many + snapping) | {roadMs:0} | {pairs / roadMs * 1000:N0} | {100.0 * (pairs - m.Estimated) / pairs:0.0}% | {routed[routed.Length / 2]:0.00} | {roadMs / straightMs:0.0} |");
            Console.WriteLine($"| {label} | {pairs:N0} | reference: straight-line matrix (`ST_Distance`, same points) | {straightMs:0} | {pairs / straightMs * 1000:N0} | | 1.00 | 1.0 |");
        }
    }

    private static double P(List<double> xs, double pct) => BenchSupport.NearestRank(xs.Order().ToArray(), pct / 100);

    private static (int X, int Y) Tile(double lon, double lat, int z)
    {
        var n = 1 << z;
        var r = lat * Math.PI / 180;
        return ((int)Math.Floor((lon + 180) / 360 * n), (int)Math.Floor((1 - Math.Log(Math.Tan(r) + 1 / Math.Cos(r)) / Math.PI) / 2 * n));
    }
}

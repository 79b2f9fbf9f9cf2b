using GridMap.Application.Planning;
using GridMap.Storage.Planning;
using GridMap.Tests.Shared;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridMap.Application.Tests.Planning;

/// <summary>A fresh database holding one district (中原区, 410102) with a row of square compounds, for the planner's
/// partition tests.</summary>
internal static class CompoundRow
{
    private static readonly WKTReader Reader = new();

    /// <summary>A square compound of about 80 m at column <paramref name="col"/> of a row near Zhengzhou (lon/lat).</summary>
    private static Geometry Square(int col)
    {
        var x = 113.6 + col * 0.001;
        var g = Reader.Read(FormattableString.Invariant($"POLYGON(({x} 34.75, {x + 0.0008} 34.75, {x + 0.0008} 34.7508, {x} 34.7508, {x} 34.75))"));
        g.SRID = 4326;
        return g;
    }

    /// <summary>One compound per entry of <paramref name="households"/>, west to east, each touching the next.</summary>
    public static async Task<(TestDatabase Db, AreaData Area)> CreateAsync(params int[] households)
    {
        var db = await TestDatabase.CreateAsync();
        var district = (MultiPolygon)Reader.Read("MULTIPOLYGON(((113.599 34.749, 113.61 34.749, 113.61 34.752, 113.599 34.752, 113.599 34.749)))");
        district.SRID = 4326;
        await using (var cmd = db.DataSource.CreateCommand("INSERT INTO branch VALUES (1, '西区', @d); INSERT INTO district VALUES ('410102', '中原区', 1, @d);"))
        {
            cmd.Parameters.AddWithValue("d", (Geometry)district);
            await cmd.ExecuteNonQueryAsync();
        }
        var compounds = new List<AreaCompound>();
        for (var i = 0; i < households.Length; i++)
        {
            await using var cmd = db.DataSource.CreateCommand("INSERT INTO compound (id, name, district_code, footprint, households) VALUES (@id, @n, '410102', @f, @h)");
            cmd.Parameters.AddWithValue("id", i + 1); cmd.Parameters.AddWithValue("n", $"小区{i + 1}");
            cmd.Parameters.AddWithValue("f", Square(i)); cmd.Parameters.AddWithValue("h", households[i]);
            await cmd.ExecuteNonQueryAsync();
            compounds.Add(new AreaCompound(i + 1, $"小区{i + 1}", Square(i), households[i], null, null, "410102"));
        }
        return (db, new AreaData(new PlanArea("district", "410102"), "中原区", "410102", district, compounds, []));
    }
}

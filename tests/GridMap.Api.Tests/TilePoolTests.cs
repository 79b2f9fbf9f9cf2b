using GridMap.Storage;
using GridMap.Storage.Layers;
using GridMap.Tests.Shared;
using Npgsql;

namespace GridMap.Api.Tests;

/// <summary>
/// Round 3 of the tile speed work (docs/tiles-performance.md): tiles are built with positional parameters on a pool of their
/// own that skips Npgsql's per-use session reset. The bytes must be exactly what the named-parameter SQL file gives on the
/// ordinary pool, for every layer and zoom range, and the reset must stay on everywhere else.
/// </summary>
public sealed class TilePoolTests
{
    [Fact]
    public void PositionalTileSql_HasNoNamedParametersLeft_AndOnlyDollar1To4()
    {
        foreach (var layer in LayerCatalog.Default.Layers)
            foreach (var q in layer.Tiles)
            {
                var text = q.PositionalText;
                Assert.DoesNotMatch(@"@(z|x|y|layer)\b", text);
                Assert.Contains("$1", text);
                foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, @"\$(\d+)"))
                    Assert.InRange(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1, 4);
            }
    }

    [Fact]
    public void TilePool_SkipsTheSessionReset_UnlessTheConnectionStringAsksForIt()
    {
        const string cs = "Host=127.0.0.1;Port=1;Username=u;Password=p;Database=d";
        using var tiles = GridMapDatabase.CreateForTiles(cs);
        Assert.True(new NpgsqlConnectionStringBuilder(tiles.Source.ConnectionString).NoResetOnClose);
        using var asked = GridMapDatabase.CreateForTiles(cs + ";No Reset On Close=false");
        Assert.False(new NpgsqlConnectionStringBuilder(asked.Source.ConnectionString).NoResetOnClose);
        // Every other command keeps Npgsql's reset (session state of one use never leaks into the next).
        using var main = GridMapDatabase.Create(cs);
        Assert.False(new NpgsqlConnectionStringBuilder(main.ConnectionString).NoResetOnClose);
    }

    [PostgisFact]
    public async Task TileBytes_FromTheTilePool_EqualTheNamedParameterSqlOnTheOrdinaryPool_ForEveryLayerAndZoomRange()
    {
        await using var db = await DemoDatabase.CreateAsync();
        await using var tilePool = GridMapDatabase.CreateForTiles(db.ConnectionString);
        var store = new LayerStore(db.DataSource, LayerCatalog.Default, tilePool);
        var nonEmpty = 0;
        foreach (var layer in LayerCatalog.Default.Layers)
            foreach (var q in layer.Tiles)
                foreach (var z in new[] { q.MinZoom, q.MaxZoom }.Distinct().Where(z => z >= layer.MinZoom && z <= layer.MaxZoom))
                {
                    // Central Zhengzhou (where the demo city is) at this zoom, and a neighbour.
                    var centre = TileAddress.Covering(new BoundingBox(113.66, 34.76, 113.6601, 34.7601), z).First();
                    foreach (var t in new[] { centre, new TileAddress(z, Math.Min(centre.X + 1, (1 << z) - 1), centre.Y) }.Distinct())
                    {
                        var fast = await store.TileAsync(layer.Id, t);
                        await using var cmd = db.DataSource.CreateCommand(q.Text);
                        cmd.Parameters.AddWithValue("z", t.Z);
                        cmd.Parameters.AddWithValue("x", t.X);
                        cmd.Parameters.AddWithValue("y", t.Y);
                        cmd.Parameters.AddWithValue("layer", layer.Id);
                        var named = await cmd.ExecuteScalarAsync() as byte[] ?? [];
                        Assert.Equal(named, fast);
                        if (fast.Length > 0) nonEmpty++;
                    }
                }
        // The comparison means something only if tiles have features in them.
        Assert.True(nonEmpty >= LayerCatalog.Default.Layers.Count, $"only {nonEmpty} non-empty tiles compared");
    }
}

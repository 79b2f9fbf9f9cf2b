using GridMap.Tests.Shared;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;

namespace GridMap.Storage.Tests;

/// <summary>The schema keeps stored data valid: each bad row is rejected by a named constraint.</summary>
public class SchemaConstraintTests
{
    private const string Setup = """
        INSERT INTO branch VALUES (1, '东区', ST_Multi(ST_GeomFromText('POLYGON((113 34,114 34,114 35,113 35,113 34))', 4326)));
        INSERT INTO district VALUES ('410105', '金水区', 1, ST_Multi(ST_GeomFromText('POLYGON((113 34,114 34,114 35,113 35,113 34))', 4326)));
        """;

    private static readonly Dictionary<string, string> GoodValues = new()
    {
        ["id"] = "1",
        ["name"] = "'测试小区'",
        ["district_code"] = "'410105'",
        ["footprint"] = "ST_GeomFromText('POLYGON((113.6 34.7,113.601 34.7,113.601 34.701,113.6 34.701,113.6 34.7))', 4326)",
        ["households"] = "120",
    };

    private static string CompoundInsert(string? column = null, string? value = null)
    {
        var values = new Dictionary<string, string>(GoodValues);
        if (column is not null) values[column] = value!;
        return $"INSERT INTO compound ({string.Join(", ", values.Keys)}) VALUES ({string.Join(", ", values.Values)})";
    }

    private static readonly string GoodCompound = CompoundInsert();

    [PostgisFact]
    public async Task Compound_Valid_IsStored()
    {
        await using var db = await TestDatabase.CreateAsync();
        await Exec(db, Setup);
        await Exec(db, GoodCompound);
        await using var cmd = db.DataSource.CreateCommand("SELECT households, retrofit_status, heating_system FROM compound WHERE id = 1");
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        Assert.Equal(120, r.GetInt32(0));
        Assert.Equal("not_started", r.GetString(1));
        Assert.Equal("series", r.GetString(2));
    }

    [PostgisTheory]
    [InlineData("households", "-5", "compound_households_check")]
    [InlineData("retrofit_status", "'finished'", "compound_retrofit_status_fkey")]
    [InlineData("heating_system", "'radiant'", "compound_heating_system_check")]
    [InlineData("consent_rate", "1.5", "compound_consent_rate_check")]
    [InlineData("district_code", "'999999'", "compound_district_code_fkey")]
    [InlineData("footprint", "ST_GeomFromText('POLYGON((113.6 34.7,113.601 34.701,113.601 34.7,113.6 34.701,113.6 34.7))', 4326)", "compound_footprint_check")]
    public async Task Compound_WithBadValue_IsRejectedByConstraint(string column, string value, string constraint)
    {
        await using var db = await TestDatabase.CreateAsync();
        await Exec(db, Setup);
        var e = await Assert.ThrowsAsync<PostgresException>(() => Exec(db, CompoundInsert(column, value)));
        Assert.Equal(constraint, e.ConstraintName);
    }

    [PostgisFact]
    public async Task Pipe_WithImpossibleDn_IsRejected()
    {
        await using var db = await TestDatabase.CreateAsync();
        var e = await Assert.ThrowsAsync<PostgresException>(() => Exec(db,
            "INSERT INTO pipe (id, level, flow, dn, geom) VALUES (1, 'primary', 'supply', 5000, ST_GeomFromText('LINESTRING(113.6 34.7,113.61 34.7)', 4326))"));
        Assert.Equal("pipe_dn_check", e.ConstraintName);
    }

    [PostgisFact]
    public async Task Geometry_WrongSrid_IsRejected()
    {
        await using var db = await TestDatabase.CreateAsync();
        var e = await Assert.ThrowsAsync<PostgresException>(() => Exec(db,
            "INSERT INTO road (id, name, geom) VALUES (1, '中原路', ST_GeomFromText('LINESTRING(500000 3840000,501000 3840000)', 4547))"));
        Assert.Contains("SRID", e.MessageText, StringComparison.OrdinalIgnoreCase);
    }

    [PostgisFact]
    public async Task Geometry_RoundTrip_ThroughNpgsqlNts_IsExact()
    {
        await using var db = await TestDatabase.CreateAsync();
        var wkt = "LINESTRING (113.6512345 34.7512345, 113.6523456 34.7523456, 113.66 34.76)";
        var line = (LineString)new WKTReader().Read(wkt);
        line.SRID = 4326;
        await using (var ins = db.DataSource.CreateCommand("INSERT INTO road (id, name, geom) VALUES (7, '金水路', @g)"))
        {
            ins.Parameters.AddWithValue("g", line);
            await ins.ExecuteNonQueryAsync();
        }
        await using var sel = db.DataSource.CreateCommand("SELECT geom FROM road WHERE id = 7");
        var back = (Geometry)(await sel.ExecuteScalarAsync())!;
        Assert.Equal(4326, back.SRID);
        Assert.True(line.EqualsExact(back), $"expected {wkt}, got {back.AsText()}");
    }

    private static async Task Exec(TestDatabase db, string sql)
    {
        await using var cmd = db.DataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}

using Npgsql;

namespace GridMap.Storage.Network;

/// <summary>A pipe near a position: distance (m) and bearing (degrees clockwise from north, 0–360, NaN when
/// standing on it) from the position to the closest point of the pipe, which is given as lon/lat.</summary>
public sealed record NearbyPipe(long Id, string Level, string Flow, int Dn, double DepthM, string Material, string Status,
    double DistanceM, double BearingDeg, double Lon, double Lat);

/// <summary>Nearest-pipe queries for crews on site (GiST KNN, re-ranked in metres).</summary>
public sealed class PipeLocator(NpgsqlDataSource db)
{
    private static readonly string Sql = SqlScripts.Get("Queries/nearest_pipes.sql");

    /// <summary>The <paramref name="k"/> (1–50) pipes nearest to (lon, lat), closest first.</summary>
    public async Task<IReadOnlyList<NearbyPipe>> NearestAsync(double lon, double lat, int k = 5, CancellationToken ct = default)
    {
        if (!(lon is >= -180 and <= 180 && lat is >= -90 and <= 90))
            throw new ArgumentException($"position {lon},{lat} is not WGS84 lon/lat.");
        if (k is < 1 or > 50) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be between 1 and 50.");
        await using var cmd = db.CreateCommand(Sql);
        cmd.Parameters.AddWithValue("lon", lon);
        cmd.Parameters.AddWithValue("lat", lat);
        cmd.Parameters.AddWithValue("k", k);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<NearbyPipe>(k);
        while (await r.ReadAsync(ct))
        {
            var bearing = r.IsDBNull(8) ? double.NaN : (r.GetDouble(8) + 360) % 360;
            list.Add(new NearbyPipe(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetDouble(4), r.GetString(5), r.GetString(6),
                r.GetDouble(7), bearing, r.GetDouble(9), r.GetDouble(10)));
        }
        return list;
    }
}

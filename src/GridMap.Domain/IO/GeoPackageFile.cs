using GridMap.Domain.Geo;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridMap.Domain.IO;

/// <summary>Reads the first feature table of an OGC GeoPackage (or the one named by <c>layer</c>).</summary>
internal static class GeoPackageFile
{
    public static FeatureSet Read(string path, Crs? overrideCrs, string? layer = null)
    {
        using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
        conn.Open();
        string table, geomColumn;
        int srsId;
        using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = """
                SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c
                JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
                WHERE c.data_type = 'features' AND ($layer IS NULL OR c.table_name = $layer)
                ORDER BY c.table_name LIMIT 1
                """;
            cmd.Parameters.AddWithValue("$layer", (object?)layer ?? DBNull.Value);
            using var r = cmd.ExecuteReader();
            if (!r.Read()) throw new FeatureFileException($"{path} has no feature table{(layer is null ? "" : $" named '{layer}'")}.");
            table = r.GetString(0); geomColumn = r.GetString(1); srsId = r.GetInt32(2);
        }
        Crs crs = overrideCrs ?? (Crs.TryParse("EPSG:" + srsId, out var c) ? c
            : throw new FeatureFileException($"{path}: srs_id {srsId} is not supported; declare the CRS with --crs."));
        var reader = new GeoPackageGeoReader();
        var list = new List<FeatureRecord>();
        using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            using var r = cmd.ExecuteReader();
            var i = 0;
            while (r.Read())
            {
                var props = new Dictionary<string, object?>(StringComparer.Ordinal);
                Geometry? g = null;
                string? err = null;
                for (var f = 0; f < r.FieldCount; f++)
                {
                    var name = r.GetName(f);
                    if (string.Equals(name, geomColumn, StringComparison.OrdinalIgnoreCase))
                    {
                        if (r.IsDBNull(f)) { err = "feature has no geometry"; continue; }
                        try { g = reader.Read((byte[])r.GetValue(f)); }
                        catch (Exception e) when (e is ArgumentException or ParseException or InvalidOperationException or IndexOutOfRangeException)
                        { err = $"geometry could not be parsed: {e.Message}"; }
                        continue;
                    }
                    props[name] = FeatureFile.Normalise(r.IsDBNull(f) ? null : r.GetValue(f));
                }
                props.TryGetValue("id", out var id);
                list.Add(new FeatureRecord(i++, id?.ToString(), g, props, err));
            }
        }
        return new FeatureSet(crs, list, overrideCrs is null);
    }
}

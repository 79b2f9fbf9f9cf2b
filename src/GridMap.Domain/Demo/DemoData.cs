using System.Reflection;

namespace GridMap.Domain.Demo;

/// <summary>The demo city's input files, embedded in this assembly (see Demo/Data/PROVENANCE.md).</summary>
internal static class DemoData
{
    public const string Districts = "zhengzhou_districts_echarts_npm_gcj02.geojson";
    public const string Arterials = "zhengzhou_arterials_derived_from_bus_2013_wgs84.geojson";
    public const string Streets = "zhengzhou_streets_townships_nbs2023.csv";
    public const string Communities = "zhengzhou_communities_villages_nbs2023.csv";

    public static string ReadText(string file)
    {
        var name = "GridMap.Domain.Demo.Data." + file;
        using var s = typeof(DemoData).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded demo resource '{name}' is missing from {typeof(DemoData).Assembly.GetName().Name}.");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    /// <summary>Rows of a simple CSV (quoted fields without embedded quotes or commas, as in the NBS files).</summary>
    public static IEnumerable<Dictionary<string, string>> ReadCsv(string file)
    {
        using var reader = new StringReader(ReadText(file));
        var header = reader.ReadLine()?.Split(',') ?? throw new InvalidOperationException($"{file} is empty.");
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            if (cells.Length != header.Length) throw new InvalidOperationException($"{file}: row '{line}' has {cells.Length} cells, header has {header.Length}.");
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++) row[header[i]] = cells[i].Trim('"');
            yield return row;
        }
    }
}

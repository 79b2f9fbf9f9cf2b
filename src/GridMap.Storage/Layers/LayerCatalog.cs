using System.Text.Json;
using System.Text.Json.Serialization;

namespace GridMap.Storage.Layers;

/// <summary>One map layer: the view behind its GeoJSON pages, its geometry type, the zoom range it is drawn at, the tile
/// SQL per zoom range, the attributes its tiles carry and the change-log sources (migration 0015) that touch its tiles.</summary>
public sealed record LayerInfo(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("view")] string View,
    [property: JsonPropertyName("geometryType")] string GeometryType,
    [property: JsonPropertyName("minZoom")] int MinZoom,
    [property: JsonPropertyName("maxZoom")] int MaxZoom,
    [property: JsonPropertyName("tiles")] IReadOnlyList<TileQuery> Tiles,
    [property: JsonPropertyName("fields")] IReadOnlyDictionary<string, string> Fields,
    [property: JsonPropertyName("sources")] IReadOnlyList<string> Sources)
{
    /// <summary>True when the layer's tiles depend on the date as well as the data (the progress layers count follow-ups
    /// overdue as of today): a cached tile of it is current only on the day it was built.</summary>
    [JsonPropertyName("changesDaily")]
    public bool ChangesDaily { get; init; }

    /// <summary>The tile query serving zoom <paramref name="z"/>, or null when the layer draws nothing there.</summary>
    public TileQuery? TileQueryAt(int z) => z < MinZoom || z > MaxZoom ? null : Tiles.FirstOrDefault(t => z >= t.MinZoom && z <= t.MaxZoom);
}

/// <summary>The tile SQL (src/GridMap.Storage/Layers/Tiles/{Sql}.sql) serving zooms <see cref="MinZoom"/>–<see cref="MaxZoom"/> (inclusive).</summary>
public sealed record TileQuery(
    [property: JsonPropertyName("minZoom")] int MinZoom,
    [property: JsonPropertyName("maxZoom")] int MaxZoom,
    [property: JsonPropertyName("sql")] string Sql)
{
    /// <summary>The embedded SQL text (parameters @z, @x, @y and @layer).</summary>
    public string Text => SqlScripts.Get($"Layers/Tiles/{Sql}.sql");

    /// <summary>
    /// The same SQL with its four named parameters as positional ones: @z → $1, @x → $2, @y → $3, @layer → $4 (bind them in
    /// that order, unnamed). Npgsql then sends the text as it is instead of parsing it for named parameters on every tile
    /// (perf: <c>SqlQueryParser.ParseRawQuery</c> was the top managed frame of an uncached tile). Made once per query, from
    /// the embedded file only.
    /// </summary>
    public string PositionalText => Positional.GetOrAdd(Sql, static name => PositionalParameters.Replace(
        SqlScripts.Get($"Layers/Tiles/{name}.sql"), m => m.Groups[1].Value switch
        {
            "z" => "$1",
            "x" => "$2",
            "y" => "$3",
            _ => "$4",
        }));

    // Kept outside the record's fields, so record equality stays that of (MinZoom, MaxZoom, Sql).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Positional = new(StringComparer.Ordinal);

    private static readonly System.Text.RegularExpressions.Regex PositionalParameters = new(@"@(z|x|y|layer)\b", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}

/// <summary>The layer catalog (tiles/catalog.json, embedded at build time). Layer ids are the only way a
/// request names a view, so view names never come from user input.</summary>
public sealed class LayerCatalog
{
    private readonly Dictionary<string, LayerInfo> _byId;

    private LayerCatalog(IReadOnlyList<LayerInfo> layers)
    {
        Layers = layers;
        _byId = layers.ToDictionary(l => l.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>The catalog shipped with this build.</summary>
    public static LayerCatalog Default { get; } = Load();

    public bool TryGet(string id, out LayerInfo layer) => _byId.TryGetValue(id, out layer!);

    /// <summary>The layer with this id, or an <see cref="UnknownLayerException"/> listing the known ids.</summary>
    public LayerInfo Get(string id) => TryGet(id, out var l) ? l : throw new UnknownLayerException(id, _byId.Keys);

    private static LayerCatalog Load()
    {
        using var s = typeof(LayerCatalog).Assembly.GetManifestResourceStream("GridMap.Storage.catalog.json")
            ?? throw new InvalidOperationException("tiles/catalog.json is not embedded in GridMap.Storage.");
        var doc = JsonSerializer.Deserialize<CatalogFile>(s) ?? throw new InvalidOperationException("tiles/catalog.json is empty.");
        return new LayerCatalog(doc.Layers);
    }

    private sealed record CatalogFile([property: JsonPropertyName("layers")] List<LayerInfo> Layers);
}

/// <summary>A request named a layer that is not in the catalog.</summary>
public sealed class UnknownLayerException(string id, IEnumerable<string> known)
    : KeyNotFoundException($"未知图层 '{id}'，可用图层：{string.Join("、", known)} (Unknown layer '{id}'. Known layers: {string.Join(", ", known)}).");

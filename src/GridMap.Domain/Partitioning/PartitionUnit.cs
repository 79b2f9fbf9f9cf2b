using NetTopologySuite.Geometries;

namespace GridMap.Domain.Partitioning;

/// <summary>
/// One indivisible unit of a partition (a compound, a census tract): its footprint in a metric CRS
/// (metres), its workload weight (households or any non-negative expression) and, for nesting, the id
/// of the parent area (community/street) it must stay inside.
/// </summary>
public sealed record PartitionUnit
{
    public PartitionUnit(string id, Geometry geometry, double weight, string? parent = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.IsEmpty) throw new ArgumentException($"unit '{id}' has an empty geometry.", nameof(geometry));
        if (geometry is not (Polygon or MultiPolygon))
            throw new ArgumentException($"unit '{id}' is a {geometry.GeometryType}; units must be polygons.", nameof(geometry));
        if (!double.IsFinite(weight) || weight < 0)
            throw new ArgumentOutOfRangeException(nameof(weight), $"unit '{id}' has weight {weight}; weights must be finite and ≥ 0.");
        Id = id; Geometry = geometry; Weight = weight; Parent = parent;
    }

    /// <summary>Stable id, used to carry plans across runs (warm starts, locked cells).</summary>
    public string Id { get; }
    /// <summary>Footprint polygon in metres.</summary>
    public Geometry Geometry { get; }
    /// <summary>Workload, ≥ 0.</summary>
    public double Weight { get; }
    /// <summary>Parent area id for nesting; null when not nested.</summary>
    public string? Parent { get; }
}

using GridMap.Storage.Planning;
using NetTopologySuite.Geometries;

namespace GridMap.Application.Planning;

/// <summary>A plan area loaded for partitioning: the requested area, its name, district (6 digits), polygon (lon/lat),
/// compounds (at least one, in id order) and the arterial roads crossing it (empty when barriers are off).</summary>
public sealed record AreaData(PlanArea Area, string Name, string DistrictCode, MultiPolygon Polygon, IReadOnlyList<AreaCompound> Compounds, IReadOnlyList<Geometry> Barriers);

using NetTopologySuite.Geometries;

namespace GridMap.Application.Planning;

/// <summary>
/// The area a plan divides: a district (6-digit code), street (9), community (12) or a drawn polygon in
/// WGS84 lon/lat. Valid from birth: the code has the right number of digits, the polygon is a valid,
/// non-empty (Multi)Polygon inside lon ±180 / lat ±90. <see cref="Key"/> identifies the area across plan
/// versions ("street:410105004"; a polygon is keyed by its rounded outline).
/// </summary>
public sealed record PlanArea
{
    public static readonly string[] Kinds = ["district", "street", "community", "polygon"];

    public PlanArea(string kind, string? code, Geometry? polygon = null)
    {
        Kind = kind;
        switch (kind)
        {
            case "district" or "street" or "community":
                var digits = kind == "district" ? 6 : kind == "street" ? 9 : 12;
                if (code is null || code.Length != digits || !code.All(char.IsAsciiDigit))
                    throw new ArgumentException($"区域代码 '{code}' 应为 {digits} 位数字 ({kind} code '{code}' must be {digits} digits).");
                if (polygon is not null) throw new ArgumentException("区域代码与自绘范围只能给一个 (give either an area code or a polygon, not both).");
                Code = code;
                Key = $"{kind}:{code}";
                break;
            case "polygon":
                if (polygon is not (NetTopologySuite.Geometries.Polygon or MultiPolygon) || polygon.IsEmpty)
                    throw new ArgumentException($"自绘范围必须是面 (the drawn area must be a Polygon or MultiPolygon, got {polygon?.GeometryType ?? "nothing"}).");
                var env = polygon.EnvelopeInternal;
                if (env.MinX < -180 || env.MaxX > 180 || env.MinY < -90 || env.MaxY > 90)
                    throw new ArgumentException("自绘范围必须是 WGS84 经纬度 (the drawn area must be in WGS84 lon/lat degrees).");
                if (!polygon.IsValid) throw new ArgumentException("自绘范围自相交，不是有效的面 (the drawn area is not a valid polygon: it crosses itself).");
                polygon.SRID = 4326;
                Polygon = polygon;
                var c = polygon.Centroid;
                Key = FormattableString.Invariant($"polygon:{c.X:0.00000},{c.Y:0.00000},{polygon.Area * 1e8:0}");
                break;
            default:
                throw new ArgumentException($"区域类型 '{kind}' 无效 (area kind '{kind}' is not one of {string.Join(", ", Kinds)}).");
        }
    }

    /// <summary>district | street | community | polygon.</summary>
    public string Kind { get; }
    /// <summary>The administrative code, null for a polygon.</summary>
    public string? Code { get; }
    /// <summary>The drawn polygon (SRID 4326), null for a coded area.</summary>
    public Geometry? Polygon { get; }
    /// <summary>Identity of the area across versions.</summary>
    public string Key { get; }
}

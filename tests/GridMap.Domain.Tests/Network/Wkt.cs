using GridMap.Domain.Model;
using GridMap.Domain.Network;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridMap.Domain.Tests.Network;

/// <summary>Small networks written as WKT, in local planar units.</summary>
internal static class Wkt
{
    private static readonly WKTReader Reader = new();

    public static NetworkPipe Pipe(string id, string wkt, OpenState status = OpenState.Open, NetworkLevel? level = null, string kind = "pipe") =>
        new(id, (LineString)Reader.Read(wkt), status, kind, level);

    public static NetworkValve Valve(string id, double x, double y, OpenState state = OpenState.Open, bool operable = true) =>
        new(id, new Point(x, y), state, operable);

    public static NetworkTap Tap(string id, double x, double y, int households = 0) => new(id, new Point(x, y), households);
}

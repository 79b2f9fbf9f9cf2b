using System.Globalization;
using GridMap.Domain.Geo;
using GridMap.Domain.IO;
using GridMap.Domain.Model;
using GridMap.Domain.Network;
using NetTopologySuite.Geometries;

namespace GridMap.Cli.Commands;

/// <summary>A command-line input problem: reported as one line on stderr with exit code 1.</summary>
internal sealed class NetworkInputException(string message) : Exception(message);

/// <summary>
/// Reads the GeoJSON (or other <see cref="FeatureFile"/>) inputs of <c>gridmap network</c> into a
/// <see cref="NetworkInput"/> in planar coordinates, and maps planar locations back to the pipes' CRS.
/// </summary>
/// <remarks>
/// Working coordinates: a projected pipe file is used as is; a local one too (every file must then be local);
/// geographic input (WGS84, CGCS2000, GCJ-02) is projected to a local equirectangular plane in metres around the
/// pipes' centre — accurate to well under 0.1 % across a city, plenty for a snap tolerance. Other files are brought
/// into the pipes' working plane through WGS84.
/// </remarks>
internal sealed class NetworkInputReader
{
    private const double EarthRadius = 6_371_008.8;
    private readonly Crs _pipesCrs;
    private readonly double _lon0, _lat0, _cosLat0;
    private readonly GeometryFactory _factory = new();

    public Crs PipesCrs => _pipesCrs;

    private NetworkInputReader(Crs pipesCrs, double lon0, double lat0)
    {
        _pipesCrs = pipesCrs;
        _lon0 = lon0;
        _lat0 = lat0;
        _cosLat0 = Math.Cos(lat0 * Math.PI / 180);
    }

    public static (NetworkInput Input, NetworkInputReader Reader) Read(string pipes, string? valves, string? sources, string? consumers, Crs? crs)
    {
        var pipeSet = ReadFile(pipes, "pipes", crs);
        double lon0 = 0, lat0 = 0;
        if (pipeSet.Crs.IsGeographic)
        {
            var env = new Envelope();
            foreach (var f in pipeSet.Features)
                if (f.Geometry is not null) env.ExpandToInclude(pipeSet.Crs.ToWgs84(f.Geometry).EnvelopeInternal);
            if (!env.IsNull) { lon0 = env.Centre.X; lat0 = env.Centre.Y; }
        }
        var reader = new NetworkInputReader(pipeSet.Crs, lon0, lat0);
        var input = new NetworkInput(
            reader.Pipes(pipeSet, pipes),
            valves is null ? [] : reader.Valves(ReadFile(valves, "valves", crs), valves),
            sources is null ? [] : reader.Taps(ReadFile(sources, "sources", crs), sources, households: false),
            consumers is null ? [] : reader.Taps(ReadFile(consumers, "consumers", crs), consumers, households: true));
        return (input, reader);
    }

    private static FeatureSet ReadFile(string path, string what, Crs? crs)
    {
        try
        {
            return FeatureFile.Read(path, crs);
        }
        catch (FeatureFileException e)
        {
            throw new NetworkInputException(e.Message.Contains(path, StringComparison.Ordinal)
                ? $"cannot read {what} file: {e.Message}"
                : $"cannot read {what} file {path}: {e.Message}");
        }
        catch (ArgumentException e)
        {
            throw new NetworkInputException($"cannot read {what} file {path}: {e.Message}");
        }
    }

    /// <summary>Brings a geometry from <paramref name="from"/> into the working plane.</summary>
    private Geometry ToPlane(Geometry g, Crs from, string path)
    {
        if (_pipesCrs.IsLocal || from.IsLocal)
        {
            if (_pipesCrs.IsLocal != from.IsLocal)
                throw new NetworkInputException($"{path} is in {from} but the pipes are in {_pipesCrs}: local coordinates cannot be mixed with a geodetic CRS.");
            return g;
        }
        if (!_pipesCrs.IsGeographic)
            return from == _pipesCrs ? g : _pipesCrs.FromWgs84(from.ToWgs84(g));
        var wgs = from.ToWgs84(g);
        var copy = wgs.Copy();
        copy.Apply(new PlaneFilter(this));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class PlaneFilter(NetworkInputReader r) : ICoordinateSequenceFilter
    {
        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = r.Forward(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }

        public bool Done => false;
        public bool GeometryChanged => true;
    }

    private (double X, double Y) Forward(double lon, double lat) =>
        (EarthRadius * (lon - _lon0) * Math.PI / 180 * _cosLat0, EarthRadius * (lat - _lat0) * Math.PI / 180);

    /// <summary>A location given in the pipes' own coordinates (lon/lat for geographic pipes), in the working plane.</summary>
    public Coordinate FromPipesCrs(double x, double y)
    {
        if (!_pipesCrs.IsGeographic) return new Coordinate(x, y);
        if (!(x is >= -180 and <= 180 && y is >= -90 and <= 90))
            throw new NetworkInputException($"{x.ToString(CultureInfo.InvariantCulture)},{y.ToString(CultureInfo.InvariantCulture)} is not a lon,lat position (the pipes are in {_pipesCrs}).");
        var (lon, lat) = _pipesCrs.ToWgs84Point(x, y);
        var (px, py) = Forward(lon, lat);
        return new Coordinate(px, py);
    }

    /// <summary>A working-plane location in the pipes' own coordinates, for reports.</summary>
    public (double X, double Y) ToPipesCrs(double x, double y)
    {
        if (!_pipesCrs.IsGeographic) return (x, y);
        var lon = _lon0 + x / (EarthRadius * _cosLat0) * 180 / Math.PI;
        var lat = _lat0 + y / EarthRadius * 180 / Math.PI;
        return _pipesCrs.FromWgs84Point(lon, lat);
    }

    private static string Label(FeatureRecord f, string path) => f.Id is null ? $"{path}: feature #{f.Index}" : $"{path}: feature '{f.Id}'";

    private static string RequireId(FeatureRecord f, string path, string what) =>
        string.IsNullOrWhiteSpace(f.Id) ? throw new NetworkInputException($"{path}: {what} feature #{f.Index} has no id (set an \"id\" member or property).") : f.Id;

    private List<NetworkPipe> Pipes(FeatureSet set, string path)
    {
        var list = new List<NetworkPipe>(set.Features.Count);
        foreach (var f in set.Features)
        {
            var id = RequireId(f, path, "pipe");
            var line = f.Geometry switch
            {
                null => throw new NetworkInputException($"{Label(f, path)}: pipe has no geometry{(f.GeometryError is null ? "" : $" ({f.GeometryError})")}."),
                LineString { IsEmpty: false, NumPoints: >= 2 } l => l,
                MultiLineString { NumGeometries: 1 } m when m.GetGeometryN(0) is LineString { NumPoints: >= 2 } l => l,
                _ => throw new NetworkInputException($"{Label(f, path)}: pipe geometry must be a LineString with at least two points, got {f.Geometry.GeometryType}{(f.Geometry.IsEmpty ? " (empty)" : "")}."),
            };
            var planar = (LineString)ToPlane(line, set.Crs, path);
            var status = State(f, "status", path);
            var kind = Text(f, "kind") ?? "pipe";
            NetworkLevel? level = Text(f, "level") is { } lv ? Parse<NetworkLevel>(lv, f, path, "level") : null;
            list.Add(new NetworkPipe(id, planar, status, kind, level));
        }
        return list;
    }

    private List<NetworkValve> Valves(FeatureSet set, string path)
    {
        var list = new List<NetworkValve>(set.Features.Count);
        foreach (var f in set.Features)
        {
            var id = RequireId(f, path, "valve");
            var p = PointOf(f, set.Crs, path, "valve");
            var operable = f.Properties.TryGetValue("operable", out var o) ? Bool(o, f, path, "operable") : true;
            list.Add(new NetworkValve(id, p, State(f, "state", path), operable, Text(f, "pipe")));
        }
        return list;
    }

    private List<NetworkTap> Taps(FeatureSet set, string path, bool households)
    {
        var list = new List<NetworkTap>(set.Features.Count);
        foreach (var f in set.Features)
        {
            var id = RequireId(f, path, households ? "consumer" : "source");
            var p = PointOf(f, set.Crs, path, households ? "consumer" : "source");
            var hh = 0;
            if (households && f.Properties.TryGetValue("households", out var h) && h is not null)
            {
                var d = h switch
                {
                    long l => l,
                    double x => x,
                    string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) => x,
                    _ => double.NaN,
                };
                if (!(d >= 0 && d <= int.MaxValue && Math.Floor(d) == d))
                    throw new NetworkInputException($"{Label(f, path)}: households must be a whole number ≥ 0, got '{h}'.");
                hh = (int)d;
            }
            list.Add(new NetworkTap(id, p, hh));
        }
        return list;
    }

    private Point PointOf(FeatureRecord f, Crs crs, string path, string what)
    {
        var g = f.Geometry switch
        {
            null => throw new NetworkInputException($"{Label(f, path)}: {what} has no geometry{(f.GeometryError is null ? "" : $" ({f.GeometryError})")}."),
            Point { IsEmpty: false } pt => pt,
            MultiPoint { NumGeometries: 1 } mp => (Point)mp.GetGeometryN(0),
            _ => throw new NetworkInputException($"{Label(f, path)}: {what} geometry must be a Point, got {f.Geometry.GeometryType}."),
        };
        return (Point)ToPlane(g, crs, path);
    }

    private static string? Text(FeatureRecord f, string key) =>
        f.Properties.TryGetValue(key, out var v) && v is not null ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;

    private static OpenState State(FeatureRecord f, string key, string path) =>
        Text(f, key) is { } s ? Parse<OpenState>(s, f, path, key) : OpenState.Open;

    private static T Parse<T>(string code, FeatureRecord f, string path, string key) where T : struct, Enum
    {
        try { return Codes.Parse<T>(code); }
        catch (ArgumentException e) { throw new NetworkInputException($"{Label(f, path)}: {key}: {e.Message}"); }
    }

    private static bool Bool(object? v, FeatureRecord f, string path, string key) => v switch
    {
        null => true,
        bool b => b,
        long l when l is 0 or 1 => l == 1,
        string s when bool.TryParse(s, out var b) => b,
        string s when s is "0" or "1" or "yes" or "no" => s is "1" or "yes",
        _ => throw new NetworkInputException($"{Label(f, path)}: {key} must be true or false, got '{v}'."),
    };
}

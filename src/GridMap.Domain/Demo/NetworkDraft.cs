using GridMap.Domain.Model;
using NetTopologySuite.Geometries;

namespace GridMap.Domain.Demo;

/// <summary>A pipe in metres before conversion to WGS84; coordinates run downstream (from the source or station).</summary>
internal sealed record PipeDraft(long Id, NetworkLevel Level, int Dn, string Material, int InstallYear, double DepthM, int? StationId, Coordinate[] Coords);

/// <summary>A valve in metres on pipe <see cref="PipeId"/>.</summary>
internal sealed record ValveDraft(long Id, NetworkLevel Level, int Dn, long PipeId, Coordinate Location, OpenState State, bool Operable);

/// <summary>
/// Collects supply pipes and valves as they are laid, then emits them with their return twins. The return line is
/// the supply line shifted 1.5 m east and 1.5 m south (about 2 m apart on the N–S/E–W streets of Zhengzhou): a rigid
/// shift keeps every junction of the return network exactly shared, as in the supply network, and renders as a
/// parallel line beside it.
/// </summary>
internal sealed class NetworkDraft(Random random)
{
    public const double ReturnShiftX = 1.5;
    public const double ReturnShiftY = -1.5;

    private long _nextPipe = 1;
    private long _nextValve = 1;
    public List<PipeDraft> Pipes { get; } = [];
    public List<ValveDraft> Valves { get; } = [];
    /// <summary>What the generator knows it joined: a pipe's start (or end) to a compound, station or heat source.</summary>
    public List<DemoConnection> Connections { get; } = [];
    private Dictionary<long, long>? _twins;

    /// <summary>Records that <paramref name="pipe"/>'s start (or end) joins <paramref name="kind"/> <paramref name="target"/>.</summary>
    public void Connect(PipeDraft pipe, bool atStart, string kind, int target) => Connections.Add(new DemoConnection(pipe.Id, atStart, kind, target));

    /// <summary>The connections of the supply pipes and of their return twins (after <see cref="WithReturns"/>).</summary>
    public List<DemoConnection> ConnectionsWithReturns() =>
        [.. Connections, .. Connections.Where(c => _twins?.ContainsKey(c.PipeId) == true).Select(c => c with { PipeId = _twins![c.PipeId] })];

    public PipeDraft AddPipe(NetworkLevel level, int dn, string material, int installYear, double depthM, int? stationId, IReadOnlyList<Coordinate> coords)
    {
        var p = new PipeDraft(_nextPipe++, level, dn, material, installYear, Math.Round(depthM, 2), stationId, coords.ToArray());
        Pipes.Add(p);
        return p;
    }

    /// <summary>A valve on the pipe, a few metres in from its start (atStart) or its end.</summary>
    public void AddValve(PipeDraft pipe, bool atStart, OpenState state = OpenState.Open)
    {
        var length = 0.0;
        for (var i = 0; i + 1 < pipe.Coords.Length; i++) length += pipe.Coords[i].Distance(pipe.Coords[i + 1]);
        var along = Math.Min(3.0, length / 3);
        var at = atStart ? along : length - along;
        // About 3% of valves are seized or buried under later paving: they cannot be closed in an isolation.
        var operable = random.NextDouble() >= 0.03;
        Valves.Add(new ValveDraft(_nextValve++, pipe.Level, pipe.Dn, pipe.Id, PointAlong(pipe.Coords, at), state, operable));
    }

    /// <summary>Supply pipes and valves followed by their return twins (new ids, same attributes, shifted geometry).</summary>
    public (List<(PipeDraft Pipe, FlowDirection Flow)> Pipes, List<ValveDraft> Valves) WithReturns()
    {
        var pipes = Pipes.Select(p => (p, FlowDirection.Supply)).ToList();
        var twin = new Dictionary<long, long>();
        foreach (var p in Pipes)
        {
            var r = p with { Id = _nextPipe++, Coords = p.Coords.Select(Shift).ToArray() };
            twin[p.Id] = r.Id;
            pipes.Add((r, FlowDirection.Return));
        }
        _twins = twin;
        var valves = new List<ValveDraft>(Valves);
        foreach (var v in Valves)
            valves.Add(v with { Id = _nextValve++, PipeId = twin[v.PipeId], Location = Shift(v.Location), Operable = random.NextDouble() >= 0.03 });
        return (pipes, valves);
    }

    private static Coordinate Shift(Coordinate c) => new(c.X + ReturnShiftX, c.Y + ReturnShiftY);

    private static Coordinate PointAlong(Coordinate[] cs, double at)
    {
        for (var i = 0; i + 1 < cs.Length; i++)
        {
            var seg = cs[i].Distance(cs[i + 1]);
            if (at <= seg || i + 2 == cs.Length)
            {
                var t = seg <= 0 ? 0 : Math.Clamp(at / seg, 0, 1);
                return new Coordinate(cs[i].X + t * (cs[i + 1].X - cs[i].X), cs[i].Y + t * (cs[i + 1].Y - cs[i].Y));
            }
            at -= seg;
        }
        return cs[^1];
    }

    /// <summary>Secondary DN by households served (about 3.4 kW per old flat, 25 K spread, ~1 m/s): DN50 … DN300.</summary>
    public static int SecondaryDn(int households) => households switch
    {
        <= 40 => 50,
        <= 80 => 65,
        <= 150 => 80,
        <= 300 => 100,
        <= 500 => 125,
        <= 800 => 150,
        <= 1400 => 200,
        <= 2500 => 250,
        _ => 300,
    };

    /// <summary>Primary main DN by downstream load in MW: DN300 … DN1200.</summary>
    public static int PrimaryDn(double mw) => mw switch
    {
        > 600 => 1200,
        > 400 => 1000,
        > 250 => 900,
        > 150 => 800,
        > 90 => 700,
        > 50 => 600,
        > 25 => 500,
        > 12 => 400,
        _ => 300,
    };

    /// <summary>DN of the branch from a primary main into a station, by station capacity in kW.</summary>
    public static int StationBranchDn(double kw) => kw switch
    {
        <= 3000 => 150,
        <= 7000 => 200,
        _ => 250,
    };

    public static readonly int[] PrimaryCatalogue = [300, 400, 500, 600, 700, 800, 900, 1000, 1200];
}

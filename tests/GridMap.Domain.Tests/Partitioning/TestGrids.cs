using GridMap.Domain.Partitioning;

namespace GridMap.Domain.Tests.Partitioning;

/// <summary>Unit graphs for partition tests (exact mode, the p-median polish).</summary>
internal static class TestGrids
{
    /// <summary>A cols × rows grid of 100 m squares with rook adjacency, built from edges (no geometry).</summary>
    public static UnitGraph Rook(int cols, int rows, IReadOnlyList<double> weights)
    {
        var n = cols * rows;
        var edges = new List<(int, int, double)>();
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
            {
                var i = r * cols + c;
                if (c + 1 < cols) edges.Add((i, i + 1, 100));
                if (r + 1 < rows) edges.Add((i, i + cols, 100));
            }
        return UnitGraph.FromEdges(Enumerable.Range(0, n).Select(i => $"u{i}").ToList(), weights, Enumerable.Repeat(10_000.0, n).ToList(),
            Enumerable.Repeat(400.0, n).ToList(), Enumerable.Range(0, n).Select(i => (i % cols * 100.0 + 50, -(i / cols) * 100.0 - 50)).ToList(), edges);
    }
}

namespace GridMap.Domain.Partitioning;

/// <summary>
/// Grid cell codes: 6-digit district + 3-digit street + 3-digit community + 3-digit sequence (15 digits),
/// the sequence numbered from 001 in reading order — rows from north to south, west to east within a row.
/// </summary>
public static class CellCodeAssigner
{
    /// <summary>
    /// Codes for cells given their centroid (metres, y north) and their 12-digit community prefix
    /// (district + street + community). Sequences restart at 001 for every prefix. Rows are bands of
    /// <paramref name="rowHeight"/> metres (default: √ of the mean area implied by the spread of centroids).
    /// </summary>
    public static string[] Assign(IReadOnlyList<(double X, double Y)> centroids, IReadOnlyList<string> prefixes, double? rowHeight = null)
    {
        if (centroids.Count != prefixes.Count) throw new ArgumentException("one prefix per cell is needed.");
        foreach (var p in prefixes)
            if (p.Length != 12 || !p.All(char.IsAsciiDigit))
                throw new ArgumentException($"prefix '{p}' must be 12 digits: 6-digit district, 3-digit street, 3-digit community.");
        var codes = new string[centroids.Count];
        foreach (var group in Enumerable.Range(0, centroids.Count).GroupBy(i => prefixes[i]))
        {
            var members = group.ToList();
            if (members.Count > 999) throw new ArgumentException($"community {group.Key} has {members.Count} cells; the 3-digit sequence allows 999.");
            var pts = members.Select(i => centroids[i]).ToList();
            var h = rowHeight ?? DefaultRowHeight(pts);
            var order = ReadingOrder(pts, h);
            for (var s = 0; s < order.Count; s++) codes[members[order[s]]] = group.Key + (s + 1).ToString("000", System.Globalization.CultureInfo.InvariantCulture);
        }
        return codes;
    }

    private static double DefaultRowHeight(IReadOnlyList<(double X, double Y)> pts)
    {
        if (pts.Count < 2) return 1;
        var w = pts.Max(p => p.X) - pts.Min(p => p.X);
        var h = pts.Max(p => p.Y) - pts.Min(p => p.Y);
        return Math.Max(Math.Sqrt(Math.Max(w * h, 1e-9) / pts.Count), 1e-6);
    }

    /// <summary>Indices of <paramref name="centroids"/> in reading order: rows of <paramref name="rowHeight"/>
    /// from the northernmost down, west to east inside a row.</summary>
    public static IReadOnlyList<int> ReadingOrder(IReadOnlyList<(double X, double Y)> centroids, double rowHeight)
    {
        if (centroids.Count == 0) return [];
        if (!(rowHeight > 0)) throw new ArgumentOutOfRangeException(nameof(rowHeight), "row height must be positive.");
        var top = centroids.Max(c => c.Y);
        return Enumerable.Range(0, centroids.Count)
            .OrderBy(i => Math.Floor((top - centroids[i].Y) / rowHeight))
            .ThenBy(i => centroids[i].X).ThenByDescending(i => centroids[i].Y).ToList();
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using GridMap.Storage.Reports;

namespace GridMap.Application.Reports;

/// <summary>
/// Parses an area argument: <c>city</c>, <c>district:CODE</c> (6 digits), <c>street:CODE</c> (9), <c>cell:CODE</c> (15),
/// <c>branch:NAME|ID</c>, <c>bbox:minLon,minLat,maxLon,maxLat</c> (WGS84, at most 2° a side). Bad syntax is an
/// <see cref="ArgumentException"/> (400); an area that does not exist is found out later (404).
/// </summary>
public static partial class ReportAreaParser
{
    public const string Syntax = "city | district:CODE | street:CODE | cell:CODE | branch:NAME|ID | bbox:minLon,minLat,maxLon,maxLat";

    public static ReportAreaKey Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException($"请指定范围 area（{Syntax}）(area must not be empty).");
        text = text.Trim();
        if (text == "city") return new("city", null, null);
        var colon = text.IndexOf(':');
        if (colon <= 0) throw Bad(text);
        var kind = text[..colon];
        var value = text[(colon + 1)..].Trim();
        return kind switch
        {
            "district" when Digits(6).IsMatch(value) => new(kind, value, null),
            "street" when Digits(9).IsMatch(value) => new(kind, value, null),
            "cell" when Digits(15).IsMatch(value) => new(kind, value, null),
            "branch" when value.Length is > 0 and <= 100 => new(kind, value, null),
            "bbox" => new(kind, null, Box(value)),
            _ => throw Bad(text),
        };
    }

    private static double[] Box(string value)
    {
        var parts = value.Split(',');
        var nums = new double[4];
        if (parts.Length != 4 || !parts.Select((p, i) => double.TryParse(p.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out nums[i])).All(ok => ok))
            throw new ArgumentException($"bbox 应为 minLon,minLat,maxLon,maxLat (bbox must be four numbers, got '{value}').");
        var (x0, y0, x1, y1) = (nums[0], nums[1], nums[2], nums[3]);
        if (!(x0 >= -180 && x1 <= 180 && y0 >= -85 && y1 <= 85 && x0 < x1 && y0 < y1))
            throw new ArgumentException($"bbox 范围无效 (bbox must have min < max within lon ±180, lat ±85: '{value}').");
        if (x1 - x0 > 2 || y1 - y0 > 2) throw new ArgumentException($"bbox 过大 (bbox may span at most 2° a side: '{value}').");
        return nums;
    }

    private static Regex Digits(int n) => n switch { 6 => Six(), 9 => Nine(), _ => Fifteen() };

    [GeneratedRegex("^[0-9]{6}$")] private static partial Regex Six();
    [GeneratedRegex("^[0-9]{9}$")] private static partial Regex Nine();
    [GeneratedRegex("^[0-9]{15}$")] private static partial Regex Fifteen();

    private static ArgumentException Bad(string text) =>
        new($"无法识别的范围 '{text}'，应为 {Syntax} (unrecognised area).");
}

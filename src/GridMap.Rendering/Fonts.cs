using SkiaSharp;

namespace GridMap.Rendering;

/// <summary>
/// The typeface for Chinese text: Noto Sans CJK SC by name (Debian fonts-noto-cjk), resolved through fontconfig.
/// Fails loudly when it is missing, because a fallback font would print boxes instead of 汉字.
/// </summary>
public static class Fonts
{
    public const string Family = "Noto Sans CJK SC";

    private static readonly Lazy<SKTypeface> regular = new(() => Resolve(SKFontStyle.Normal));
    private static readonly Lazy<SKTypeface> bold = new(() => Resolve(SKFontStyle.Bold));

    public static SKTypeface Regular => regular.Value;
    public static SKTypeface Bold => bold.Value;

    /// <summary>A font of <paramref name="size"/> points.</summary>
    public static SKFont Font(float size, bool isBold = false) => new(isBold ? Bold : Regular, size) { Subpixel = true, Edging = SKFontEdging.Antialias };

    private static SKTypeface Resolve(SKFontStyle style)
    {
        var tf = SKFontManager.Default.MatchFamily(Family, style)
            ?? throw new InvalidOperationException($"字体 {Family} 未安装 (font '{Family}' is not installed: apt-get install fonts-noto-cjk).");
        if (!tf.FamilyName.Contains("CJK", StringComparison.OrdinalIgnoreCase) || !HasGlyph(tf, '网'))
            throw new InvalidOperationException($"字体 {Family} 未安装 (font '{Family}' resolved to '{tf.FamilyName}', which has no CJK glyphs).");
        return tf;
    }

    private static bool HasGlyph(SKTypeface tf, char c)
    {
        using var font = new SKFont(tf, 12);
        return font.GetGlyph(c) != 0;
    }
}

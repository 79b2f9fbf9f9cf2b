using System.Diagnostics;
using GridMap.Tests.Shared;

namespace GridMap.Rendering.Tests;

/// <summary>External readers used to check what was drawn: pdftotext/pdftoppm (poppler-utils) and zbarimg (zbar-tools).</summary>
internal static class Tools
{
    public static string Scratch(string name)
    {
        var dir = RepoPaths.Scratch("rendering-tests");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, $"{name}-{Guid.NewGuid():N}");
    }

    public static string Run(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{exe} did not start (install poppler-utils / zbar-tools).");
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} exited {p.ExitCode}: {stderr}");
        return stdout;
    }

    /// <summary>The text of a PDF as pdftotext extracts it (UTF-8), with Kangxi radicals folded to ideographs.</summary>
    /// <remarks>Noto Sans CJK draws 金 and the Kangxi radical ⾦ with one glyph; Skia's PDF ToUnicode map sometimes
    /// names the radical, so extraction yields U+2F26 for 金. Folding only the radical blocks (NFKC per character)
    /// keeps every other character — full-width punctuation included — as extracted.</remarks>
    public static string PdfText(byte[] pdf)
    {
        var file = Scratch("text") + ".pdf";
        File.WriteAllBytes(file, pdf);
        try { return FoldRadicals(Run("pdftotext", "-enc", "UTF-8", file, "-")); }
        finally { File.Delete(file); }
    }

    public static string FoldRadicals(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length);
        foreach (var ch in text)
            sb.Append(ch == '\u2F3E' ? "户" : // NFKC gives the traditional 戶; the glyph Noto Sans CJK SC draws is 户
                ch is >= '\u2E80' and <= '\u2FDF' ? ch.ToString().Normalize(System.Text.NormalizationForm.FormKC) : ch.ToString());
        return sb.ToString();
    }

    /// <summary>What zbarimg decodes from the first page of a PDF rasterised at 200 dpi by pdftoppm.</summary>
    public static string QrFromPdf(byte[] pdf)
    {
        var stem = Scratch("qr");
        File.WriteAllBytes(stem + ".pdf", pdf);
        try
        {
            Run("pdftoppm", "-r", "200", "-png", "-singlefile", stem + ".pdf", stem);
            return Run("zbarimg", "--quiet", "--raw", stem + ".png").Trim();
        }
        finally { File.Delete(stem + ".pdf"); File.Delete(stem + ".png"); }
    }
}

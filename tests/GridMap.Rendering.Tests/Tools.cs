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

    /// <summary>The text of a PDF as pdftotext extracts it (UTF-8).</summary>
    public static string PdfText(byte[] pdf)
    {
        var file = Scratch("text") + ".pdf";
        File.WriteAllBytes(file, pdf);
        try { return Run("pdftotext", "-enc", "UTF-8", file, "-"); }
        finally { File.Delete(file); }
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

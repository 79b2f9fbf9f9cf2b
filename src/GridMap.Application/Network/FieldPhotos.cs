using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using GridMap.Application.Audit;
using GridMap.Application.Auth;
using GridMap.Application.Pipeline;
using GridMap.Storage.Network;

namespace GridMap.Application.Network;

/// <summary>A photo refused for its size (<see cref="TooLarge"/>, HTTP 413) or its type (HTTP 415); <see cref="Code"/> is the ProblemDetails rule.</summary>
public sealed class PhotoRefused(string code, string message) : Exception(message)
{
    public const string TooLargeCode = "photo-too-large";
    public const string TypeCode = "photo-type";
    public string Code { get; } = code;
    public bool TooLarge => Code == TooLargeCode;
}

/// <summary>A stored photo as the API answers an upload.</summary>
public sealed record FieldPhoto(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("content_type")] string ContentType,
    [property: JsonPropertyName("bytes")] int Bytes,
    [property: JsonPropertyName("sha256")] string Sha256);

/// <summary>
/// Photos of field records (valve and pipe records): JPEG, PNG or WebP by their first bytes, at most
/// <see cref="MaxBytes"/>, one per record, kept in the database (<c>field_photo</c>, append-only) and audited on the
/// valve or pipe. Uploading needs <see cref="Permissions.FieldRecord"/> in the record's branch; reading, network.read.
/// </summary>
public sealed class FieldPhotos(PipeReportStore pipes, ValveReportStore valves, WritePipeline writes)
{
    /// <summary>8 MiB: a phone's full-size JPEG is 2–6 MB.</summary>
    public const int MaxBytes = 8 << 20;

    /// <exception cref="PhotoRefused">Too large (413) or not JPEG/PNG/WebP (415).</exception>
    /// <exception cref="KeyNotFoundException">No such valve, or the record is not one of its records.</exception>
    public async Task<FieldPhoto> AddToValveReportAsync(long valveId, long reportId, string? contentType, byte[] bytes, CancellationToken ct = default)
    {
        var type = Check(contentType, bytes);
        var valve = await valves.FactsAsync(valveId, ct) ?? throw new KeyNotFoundException($"没有编号为 {valveId} 的阀门 (no valve {valveId}).");
        if ((await valves.ListAsync(valveId, 1, reportId, ct)).Count == 0)
            throw new KeyNotFoundException($"阀门 {valveId} 没有编号为 {reportId} 的现场记录 (valve {valveId} has no record {reportId}).");
        var spec = new WriteSpec("field.valve-photo", $"valve:{valveId}")
        {
            Permission = Permissions.FieldRecord,
            Branch = valve.Branches.Count > 0 ? BranchScope.Of(valve.Branches) : BranchScope.CompanyWide,
        };
        return await StoreAsync(spec, "valve", valveId, reportId, null, type, bytes, $"/api/network/valves/{valveId}/reports/{reportId}/photo", ct);
    }

    /// <inheritdoc cref="AddToValveReportAsync"/>
    public async Task<FieldPhoto> AddToPipeReportAsync(long pipeId, long reportId, string? contentType, byte[] bytes, CancellationToken ct = default)
    {
        var type = Check(contentType, bytes);
        var pipe = await pipes.FactsAsync(pipeId, ct) ?? throw new KeyNotFoundException($"没有编号为 {pipeId} 的管道 (no pipe {pipeId}).");
        if (await pipes.GetAsync(reportId, ct: ct) is not { } r || r.PipeId != pipeId)
            throw new KeyNotFoundException($"管道 {pipeId} 没有编号为 {reportId} 的现场记录 (pipe {pipeId} has no record {reportId}).");
        var spec = new WriteSpec("field.pipe-photo", $"pipe:{pipeId}")
        {
            Permission = Permissions.FieldRecord,
            Branch = pipe.Branches.Count > 0 ? BranchScope.Of(pipe.Branches) : BranchScope.CompanyWide,
        };
        return await StoreAsync(spec, "pipe", pipeId, null, reportId, type, bytes, $"/api/network/pipes/{pipeId}/reports/{reportId}/photo", ct);
    }

    /// <summary>The photo of a valve's record, or null.</summary>
    public async Task<FieldPhotoRow?> OfValveReportAsync(long valveId, long reportId, CancellationToken ct = default) =>
        (await valves.ListAsync(valveId, 1, reportId, ct)).Count == 0 ? null : await pipes.PhotoAsync(reportId, null, ct);

    /// <summary>The photo of a pipe's record, or null.</summary>
    public async Task<FieldPhotoRow?> OfPipeReportAsync(long pipeId, long reportId, CancellationToken ct = default) =>
        await pipes.GetAsync(reportId, ct: ct) is { } r && r.PipeId == pipeId ? await pipes.PhotoAsync(null, reportId, ct) : null;

    private async Task<FieldPhoto> StoreAsync(WriteSpec spec, string entity, long entityId, long? valveReport, long? pipeReport, string type, byte[] bytes,
        string url, CancellationToken ct)
    {
        var sha = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        var id = await writes.RunAsync(spec, async s =>
        {
            var photo = await PipeReportStore.AddPhotoAsync(s, valveReport, pipeReport, type, bytes, sha, writes.Caller.Name, ct);
            s.Changed(entity, entityId.ToString(CultureInfo.InvariantCulture), null,
                new { photo, report = valveReport ?? pipeReport, contentType = type, bytes = bytes.Length, sha256 = sha });
            return photo;
        }, ct);
        return new FieldPhoto(id, url, type, bytes.Length, sha);
    }

    /// <summary>The photo's type from its first bytes; the declared Content-Type, when it is an image type, must agree.</summary>
    public static string Check(string? contentType, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length > MaxBytes)
            throw new PhotoRefused(PhotoRefused.TooLargeCode, $"照片不超过 8 MiB (a photo is at most {MaxBytes} bytes; got {bytes.Length}).");
        if (bytes.Length == 0) throw new ArgumentException("照片为空 (the photo is empty).");
        var sniffed = Sniff(bytes) ?? throw new PhotoRefused(PhotoRefused.TypeCode, "只接受 JPEG、PNG 或 WebP 照片 (only JPEG, PNG or WebP photos).");
        var declared = contentType?.Split(';')[0].Trim();
        if (!string.IsNullOrEmpty(declared) && declared != "application/octet-stream" && !string.Equals(declared, sniffed, StringComparison.OrdinalIgnoreCase))
            throw new PhotoRefused(PhotoRefused.TypeCode, $"内容类型 {declared} 与文件内容 {sniffed} 不符 (Content-Type {declared} does not match the file, {sniffed}).");
        return sniffed;
    }

    private static string? Sniff(byte[] b) =>
        b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF ? "image/jpeg"
        : b.Length >= 8 && b[0] == 0x89 && b[1] == 0x50 && b[2] == 0x4E && b[3] == 0x47 && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A ? "image/png"
        : b.Length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P' ? "image/webp"
        : null;
}

using GridMap.Api.Auth;
using GridMap.Application.Auth;
using GridMap.Application.Network;
using GridMap.Storage.Network;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GridMap.Api.Endpoints;

/// <summary>
/// /api/network field records beyond the valve reports: records on pipes (<see cref="PipeReports"/>), the supervisors'
/// review queue, and the photos of valve and pipe records (<see cref="FieldPhotos"/>). Writes need field.record (the
/// /api/network rule) except reviews, which need network.review; reads need network.read.
/// </summary>
public static class FieldRecordEndpoints
{
    public static RouteGroupBuilder MapFieldRecords(this RouteGroupBuilder api)
    {
        var net = api.MapGroup("/network").WithTags("Network");

        net.MapPost("/pipes/{id:long}/reports", async Task<Created<PipeReport>> (long id, PipeReportRequest body, PipeReports uc, CancellationToken ct) =>
        {
            var r = await uc.RecordAsync(id, body, ct);
            return TypedResults.Created($"/api/network/pipes/{id}/reports", r);
        }).WithName("ReportPipe").WithSummary("A crew's field record on a pipe: depth (a fact), wrong_dn, missing_valve, offset (m, left/right) or geometry (the measured line) — the last four wait for a supervisor's review before they change the network (field.record, in the caller's branch; audited on the pipe)")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        net.MapGet("/pipes/{id:long}/reports", async Task<Ok<IReadOnlyList<PipeReport>>> (long id, PipeReports uc, CancellationToken ct) =>
            TypedResults.Ok(await uc.ListAsync(id, ct)))
            .WithName("PipeReports").WithSummary("The field records of a pipe, newest first, each with its status (recorded, pending, accepted, rejected) and review")
            .ProducesProblem(StatusCodes.Status404NotFound);

        net.MapGet("/reviews", async Task<Ok<IReadOnlyList<PipeReport>>> (PipeReports uc, CancellationToken ct) =>
            TypedResults.Ok(await uc.PendingAsync(ct)))
            .WithName("PendingReviews").WithSummary("The review queue: pipe records that wait for a supervisor (network.review; a caller of one branch sees its branch's), oldest first")
            .RequirePermission(Permissions.NetworkReview);

        net.MapPost("/reviews/{report:long}", async Task<Ok<PipeReport>> (long report, ReviewRequest body, PipeReports uc, CancellationToken ct) =>
            TypedResults.Ok(await uc.ReviewAsync(report, body, ct)))
            .WithName("ReviewPipeReport").WithSummary("Accept (applies the change to the pipe in the same transaction) or reject (the pipe stays) a pending pipe record (network.review, in the pipe's branch; audited on the pipe)")
            .RequirePermission(Permissions.NetworkReview)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        net.MapPost("/connections", async Task<Created<NetworkConnection>> (ConnectionRequest body, NetworkConnections uc, CancellationToken ct) =>
        {
            var c = await uc.ConfirmAsync(body, ct);
            return TypedResults.Created($"/api/network/connections/{c.Id}", c);
        }).WithName("ConfirmConnection").WithSummary("Confirm a connection (a connection_inferred finding) or name a missing one: {kind: compound|station|heat_source, id, pipe, end?}; the next network build uses it (network.review, in the branch; audited)")
            .RequirePermission(Permissions.NetworkReview)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        net.MapPost("/valves/{id:long}/reports/{report:long}/photo", async Task<Results<Created<FieldPhoto>, ProblemHttpResult>> (long id, long report, HttpRequest req, FieldPhotos uc, CancellationToken ct) =>
        {
            var bytes = await ReadAsync(req, ct);
            if (bytes is null) return TooLarge(req);
            try { return TypedResults.Created($"/api/network/valves/{id}/reports/{report}/photo", await uc.AddToValveReportAsync(id, report, req.ContentType, bytes, ct)); }
            catch (PhotoRefused p) { return Refused(req, p); }
        }).WithName("AddValveReportPhoto").WithSummary("Attach the photo of a valve record: the body is the image (JPEG, PNG or WebP, at most 8 MiB; else 413 / 415), one per record, kept in the database (field.record)")
            .Accepts<byte[]>("image/jpeg", "image/png", "image/webp")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        net.MapPost("/pipes/{id:long}/reports/{report:long}/photo", async Task<Results<Created<FieldPhoto>, ProblemHttpResult>> (long id, long report, HttpRequest req, FieldPhotos uc, CancellationToken ct) =>
        {
            var bytes = await ReadAsync(req, ct);
            if (bytes is null) return TooLarge(req);
            try { return TypedResults.Created($"/api/network/pipes/{id}/reports/{report}/photo", await uc.AddToPipeReportAsync(id, report, req.ContentType, bytes, ct)); }
            catch (PhotoRefused p) { return Refused(req, p); }
        }).WithName("AddPipeReportPhoto").WithSummary("Attach the photo of a pipe record (as for valve records)")
            .Accepts<byte[]>("image/jpeg", "image/png", "image/webp")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        net.MapGet("/valves/{id:long}/reports/{report:long}/photo", async Task<FileContentHttpResult> (long id, long report, HttpContext http, FieldPhotos uc, CancellationToken ct) =>
            Photo(http, await uc.OfValveReportAsync(id, report, ct) ?? throw new KeyNotFoundException($"阀门 {id} 的记录 {report} 没有照片 (record {report} of valve {id} has no photo).")))
            .WithName("ValveReportPhoto").WithSummary("The photo of a valve record (network.read)")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg", additionalContentTypes: ["image/png", "image/webp"]).ProducesProblem(StatusCodes.Status404NotFound);

        net.MapGet("/pipes/{id:long}/reports/{report:long}/photo", async Task<FileContentHttpResult> (long id, long report, HttpContext http, FieldPhotos uc, CancellationToken ct) =>
            Photo(http, await uc.OfPipeReportAsync(id, report, ct) ?? throw new KeyNotFoundException($"管道 {id} 的记录 {report} 没有照片 (record {report} of pipe {id} has no photo).")))
            .WithName("PipeReportPhoto").WithSummary("The photo of a pipe record (network.read)")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg", additionalContentTypes: ["image/png", "image/webp"]).ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    /// <summary>The body, or null when it is over <see cref="FieldPhotos.MaxBytes"/> (read no further than one byte past it).</summary>
    private static async Task<byte[]?> ReadAsync(HttpRequest req, CancellationToken ct)
    {
        if (req.ContentLength > FieldPhotos.MaxBytes) return null;
        using var ms = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await req.Body.ReadAsync(buffer, ct)) > 0)
        {
            ms.Write(buffer, 0, n);
            if (ms.Length > FieldPhotos.MaxBytes) return null;
        }
        return ms.ToArray();
    }

    private static ProblemHttpResult TooLarge(HttpRequest req) =>
        Refused(req, new PhotoRefused(PhotoRefused.TooLargeCode, $"照片不超过 8 MiB (a photo is at most {FieldPhotos.MaxBytes} bytes)."));

    private static ProblemHttpResult Refused(HttpRequest req, PhotoRefused p) => TypedResults.Problem(
        title: p.TooLarge ? "照片过大 Photo too large" : "照片类型不支持 Unsupported photo type",
        detail: p.Message, instance: req.Path,
        statusCode: p.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status415UnsupportedMediaType,
        extensions: new Dictionary<string, object?> { ["rule"] = p.Code, ["limit"] = FieldPhotos.MaxBytes });

    private static FileContentHttpResult Photo(HttpContext http, FieldPhotoRow photo)
    {
        // Evidence never changes (append-only), so a signed-in client may keep it; private: it is not for shared caches.
        http.Response.Headers.CacheControl = "private, max-age=86400, immutable";
        return TypedResults.File(photo.Bytes, photo.ContentType, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{photo.Sha256}\""));
    }
}

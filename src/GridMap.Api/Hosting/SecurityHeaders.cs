using GridMap.Api.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace GridMap.Api.Hosting;

/// <summary>Request body limits (bytes): <c>GridMap:Limits:JsonBodyBytes</c> for every route, <c>GridMap:Limits:UploadBodyBytes</c>
/// for file uploads (multipart bodies and the paths in <see cref="UploadPrefixes"/>).</summary>
public sealed class BodyLimits
{
    /// <summary>Default for JSON and other small bodies: 1 MiB (a plan edit or a sign-in is a few hundred bytes).</summary>
    public long JsonBodyBytes { get; set; } = 1L << 20;

    /// <summary>Default for uploads: 64 MiB.</summary>
    public long UploadBodyBytes { get; set; } = 64L << 20;

    /// <summary>Route prefixes whose bodies are files (checked case-insensitively).</summary>
    public static readonly string[] UploadPrefixes = ["/api/import", "/api/uploads"];

    /// <summary>The limit that applies to a request. An image body (a field record's photo) is an upload: its endpoint
    /// applies its own, smaller limit and says so in its own words.</summary>
    public long For(HttpRequest r) =>
        r.HasFormContentType && r.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true
        || r.ContentType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true
        || UploadPrefixes.Any(p => r.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))
            ? UploadBodyBytes : JsonBodyBytes;
}

/// <summary>
/// One middleware for what every response and request gets, whatever endpoint (or error handler) answers:
/// security headers — a Content-Security-Policy the OpenLayers client runs under (own scripts only; inline styles and
/// data:/blob: images that OpenLayers and the palette use; blob: workers), a looser one for the Scalar reference at
/// /docs (its inline bootstrap script and font host), no sniffing, no framing, no referrer to other sites — and the
/// request body limit: a body over its route's limit is refused with 413 ProblemDetails naming the limit
/// (<c>rule</c> = <c>body-too-large</c>) before any endpoint reads it.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, IOptions<BodyLimits> options, IConfiguration config)
{
    /// <summary>The ProblemDetails <c>rule</c> of a refused oversized body.</summary>
    public const string BodyTooLargeRule = "body-too-large";

    private readonly BodyLimits limits = options.Value;
    private readonly string _appPolicy = AppPolicy(config["GridMap:BasemapUrl"]);

    /// <summary>CSP of the web client and the API. A configured raster basemap's origin may serve images.</summary>
    public static string AppPolicy(string? basemapUrl)
    {
        var basemap = Uri.TryCreate(basemapUrl?.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal), UriKind.Absolute, out var u)
                      && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
            ? " " + u.GetLeftPart(UriPartial.Authority) : "";
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
               $"img-src 'self' data: blob:{basemap}; font-src 'self' data:; connect-src 'self'{basemap}; " +
               "worker-src 'self' blob:; child-src 'self' blob:; manifest-src 'self'; object-src 'none'; " +
               "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    }

    /// <summary>CSP of the interactive API reference (Scalar: an inline bootstrap script, inline styles, its font host).</summary>
    public const string DocsPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https://fonts.scalar.com; " +
        "img-src 'self' data: blob: https:; font-src 'self' data: https://fonts.scalar.com; connect-src 'self'; " +
        "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public async Task InvokeAsync(HttpContext http)
    {
        var isDocs = http.Request.Path.StartsWithSegments("/docs") || http.Request.Path.StartsWithSegments("/scalar");
        http.Response.OnStarting(() =>
        {
            // Set when the response starts: the exception handler clears headers set earlier.
            var h = http.Response.Headers;
            h.ContentSecurityPolicy = isDocs ? DocsPolicy : _appPolicy;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "strict-origin-when-cross-origin";
            h["Cross-Origin-Opener-Policy"] = "same-origin";
            h["Permissions-Policy"] = "microphone=(), payment=(), usb=()";
            return Task.CompletedTask;
        });

        var limit = limits.For(http.Request);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } max) max.MaxRequestBodySize = limit;
        if (http.Request.ContentLength is { } length && length > limit)
        {
            await TooLarge(http, limit);
            return;
        }
        if (http.Request.ContentLength is null && limit == limits.JsonBodyBytes && HasBody(http.Request))
        {
            // A chunked body of unknown length on a small-body route: read at most limit + 1 bytes, so the endpoint
            // sees a whole body under the limit or the client gets a 413 (never a half-read body).
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int n;
            while ((n = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > limit) { await TooLarge(http, limit); return; }
            }
            buffer.Position = 0;
            http.Request.Body = buffer;
            http.Request.ContentLength = buffer.Length;
        }
        await next(http);
    }

    private static bool HasBody(HttpRequest r) =>
        !(HttpMethods.IsGet(r.Method) || HttpMethods.IsHead(r.Method) || HttpMethods.IsOptions(r.Method) || HttpMethods.IsDelete(r.Method))
        || r.Headers.TransferEncoding.Count > 0;

    private static async Task TooLarge(HttpContext http, long limit)
    {
        http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "请求体过大 Payload too large",
                Detail = $"请求体超过此路由的上限 {limit} 字节 (request body exceeds this route's limit of {limit} bytes).",
                Instance = http.Request.Path,
                Extensions = { ["rule"] = BodyTooLargeRule, ["limit"] = limit },
            },
        });
    }
}

/// <summary>Registration of <see cref="SecurityHeaders"/>.</summary>
public static class SecurityHeadersSetup
{
    /// <summary>Binds <see cref="BodyLimits"/> from <c>GridMap:Limits</c> and raises Kestrel's own ceiling to the upload limit
    /// (the middleware lowers it per request).</summary>
    public static WebApplicationBuilder AddSecurityHeaders(this WebApplicationBuilder builder)
    {
        // Read when first needed (not here), so test hosts' settings count.
        builder.Services.AddOptions<BodyLimits>().BindConfiguration("GridMap:Limits");
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<BodyLimits>>((k, l) =>
            k.Limits.MaxRequestBodySize = Math.Max(l.Value.UploadBodyBytes, l.Value.JsonBodyBytes));
        return builder;
    }

    /// <summary>Adds the middleware; call it first so every response, errors included, carries the headers.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.UseMiddleware<SecurityHeaders>();
}

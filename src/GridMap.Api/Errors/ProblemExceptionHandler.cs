using GridMap.Domain.IO;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace GridMap.Api.Errors;

/// <summary>
/// The one place where exceptions become RFC 7807 ProblemDetails. Bad input (ArgumentException and kin)
/// is the caller's fault (4xx, message passed through); anything else is a 500 without internals.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException b => (b.StatusCode, "请求无效 Bad request", b.Message),
            KeyNotFoundException k => (StatusCodes.Status404NotFound, "未找到 Not found", k.Message),
            ArgumentException a => (StatusCodes.Status400BadRequest, "参数无效 Invalid parameter", StripParam(a)),
            FeatureFileException f => (StatusCodes.Status400BadRequest, "文件无效 Invalid file", f.Message),
            InvalidOperationException { Source: "GridMap.Domain" } d => (StatusCodes.Status422UnprocessableEntity, "无法执行 Cannot do that", d.Message),
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } p => (StatusCodes.Status409Conflict, "冲突 Conflict", p.MessageText + (p.Detail is null ? "" : ": " + p.Detail)),
            PostgresException { SqlState: PostgresErrorCodes.CheckViolation or PostgresErrorCodes.ForeignKeyViolation or PostgresErrorCodes.NotNullViolation } p
                => (StatusCodes.Status400BadRequest, "数据无效 Invalid data", $"{p.MessageText} (constraint {p.ConstraintName})"),
            OperationCanceledException when http.RequestAborted.IsCancellationRequested => (499, "请求已取消 Request cancelled", "The client closed the request."),
            _ => (StatusCodes.Status500InternalServerError, "服务器错误 Server error", "An unexpected error occurred; it has been logged."),
        };
        if (status >= 500) log.LogError(exception, "Unhandled error on {Path}", http.Request.Path);
        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = http.Request.Path },
        });
    }

    private static string StripParam(ArgumentException a)
    {
        var m = a.Message;
        var i = m.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return i > 0 ? m[..i] : m;
    }
}

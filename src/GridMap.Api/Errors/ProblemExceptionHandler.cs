using GridMap.Application.Auth;
using GridMap.Application.Pipeline;
using GridMap.Domain.IO;
using GridMap.Domain.Rules;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace GridMap.Api.Errors;

/// <summary>
/// The one place where exceptions become RFC 7807 ProblemDetails, each with a stable code in the extension member
/// <c>rule</c>: a <see cref="RuleViolation"/> is a 422 carrying its rule code; <see cref="AccessDenied"/> a 401/403 and
/// <see cref="SignInRefused"/> a 401/429 (with Retry-After) carrying theirs; bad input (ArgumentException and kin)
/// is the caller's fault (4xx, message passed through); anything else is a logged 500 without internals.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, title, detail, rule) = exception switch
        {
            RuleViolation r => (StatusCodes.Status422UnprocessableEntity, "无法执行 Cannot do that", r.Message, r.Code),
            PreconditionFailed p => (StatusCodes.Status412PreconditionFailed, "已被他人修改 Precondition failed", p.Message, PreconditionFailed.Code),
            AccessDenied { Code: AccessDenied.Unauthenticated } d => (StatusCodes.Status401Unauthorized, "未登录 Unauthenticated", d.Message, d.Code),
            AccessDenied d => (StatusCodes.Status403Forbidden, "无权操作 Forbidden", d.Message, d.Code),
            SignInRefused { Code: SignInRefused.TooManyAttempts } t => (StatusCodes.Status429TooManyRequests, "尝试次数过多 Too many attempts", t.Message, t.Code),
            SignInRefused s => (StatusCodes.Status401Unauthorized, "登录失败 Sign-in failed", s.Message, s.Code),
            BadHttpRequestException b => (b.StatusCode, "请求无效 Bad request", b.Message, ErrorCodes.BadRequest),
            KeyNotFoundException k => (StatusCodes.Status404NotFound, "未找到 Not found", k.Message, ErrorCodes.NotFound),
            ArgumentException a => (StatusCodes.Status400BadRequest, "参数无效 Invalid parameter", StripParam(a), ErrorCodes.InvalidParameter),
            FeatureFileException f => (StatusCodes.Status400BadRequest, "文件无效 Invalid file", f.Message, ErrorCodes.InvalidFile),
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } p => (StatusCodes.Status409Conflict, "冲突 Conflict", p.MessageText + (p.Detail is null ? "" : ": " + p.Detail), ErrorCodes.Conflict),
            PostgresException { SqlState: PostgresErrorCodes.CheckViolation or PostgresErrorCodes.ForeignKeyViolation or PostgresErrorCodes.NotNullViolation } p
                => (StatusCodes.Status400BadRequest, "数据无效 Invalid data", $"{p.MessageText} (constraint {p.ConstraintName})", ErrorCodes.InvalidData),
            OperationCanceledException when http.RequestAborted.IsCancellationRequested => (499, "请求已取消 Request cancelled", "客户端已取消请求 (the client closed the request).", ErrorCodes.Cancelled),
            _ => (StatusCodes.Status500InternalServerError, "服务器错误 Server error", "服务器内部错误，已记录日志 (an unexpected error occurred; it has been logged).", ErrorCodes.ServerError),
        };
        if (status >= 500) log.LogError(exception, "Unhandled error on {Path}", http.Request.Path);
        http.Response.StatusCode = status;
        if (exception is SignInRefused { RetryAfter: { } wait }) http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (status == StatusCodes.Status401Unauthorized) http.Response.Headers.WWWAuthenticate = "Bearer";
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = http.Request.Path, Extensions = { ["rule"] = rule } };
        if (exception is PreconditionFailed stale)
        {
            // What the client needs to show what changed and redo: the resource now, its tag, and who changed it last.
            // (In the body: the exception handler middleware strips ETag headers from error answers.)
            problem.Extensions["etag"] = stale.CurrentETag;
            problem.Extensions["current"] = stale.Current;
            problem.Extensions["lastChange"] = stale.LastChange;
            problem.Extensions["lastChanges"] = stale.LastChanges;
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, Exception = exception, ProblemDetails = problem });
    }

    private static string StripParam(ArgumentException a)
    {
        var m = a.Message;
        var i = m.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return i > 0 ? m[..i] : m;
    }
}

/// <summary>Codes of the errors that are not business rules (the <c>rule</c> member of every ProblemDetails).</summary>
public static class ErrorCodes
{
    public const string BadRequest = "bad-request";
    public const string NotFound = "not-found";
    public const string InvalidParameter = "invalid-parameter";
    public const string InvalidFile = "invalid-file";
    public const string InvalidData = "invalid-data";
    public const string Conflict = "conflict";
    public const string Cancelled = "cancelled";
    public const string ServerError = "server-error";
    public const string DatabaseUnavailable = "database-unavailable";
}

using GridMap.Application.Pipeline;
using GridMap.Storage;

namespace GridMap.Api.Endpoints;

/// <summary>
/// Optimistic concurrency at the HTTP edge, in one filter: the request's <c>If-Match</c> header is handed to the write
/// pipeline (<see cref="Preconditions"/>), which checks it against the resource's revision in the write's own transaction
/// (stale → 412 <c>precondition-failed</c> with the current state, nothing written; absent → accepted, last writer wins);
/// any answer that carries an entity tag (<see cref="IVersioned"/>: a plan, or a write result holding the plan after the
/// write) gets the <c>ETag</c> header. Put it on a route group: <c>group.WithPreconditions()</c>.
/// </summary>
public static class ConditionalWrites
{
    public static TBuilder WithPreconditions<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (ctx, next) =>
        {
            var http = ctx.HttpContext;
            var ifMatch = http.Request.Headers.IfMatch.ToString();
            object? result;
            using (Preconditions.Use(ifMatch)) result = await next(ctx);
            if (result is IValueHttpResult { Value: IVersioned v }) http.Response.Headers.ETag = v.ETag;
            return result;
        });
}

using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace GridMap.Api;

/// <summary>How GridMap's OpenAPI document states its contracts beyond the generator's defaults.</summary>
internal static class OpenApiConventions
{
    /// <summary>
    /// A property whose type cannot be null is always written (our records never omit one), so it is required. The
    /// generator only marks constructor parameters required, which leaves properties of derived records (a plan with
    /// its staff travel) optional and the generated TypeScript types full of needless <c>undefined</c>. Nullable
    /// members stay optional: some responses leave them out when null.
    /// </summary>
    public static Task RequireNonNullableProperties(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (schema.Properties is not { Count: > 0 } properties) return Task.CompletedTask;
        foreach (var (name, property) in properties)
        {
            var nonNull = property switch
            {
                OpenApiSchemaReference => true,
                { Type: { } t } => !t.HasFlag(JsonSchemaType.Null),
                _ => false,
            };
            if (!nonNull) continue;
            schema.Required ??= new HashSet<string>();
            schema.Required.Add(name);
        }
        return Task.CompletedTask;
    }
}

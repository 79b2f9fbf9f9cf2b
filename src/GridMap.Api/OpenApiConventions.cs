using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace GridMap.Api;

/// <summary>How GridMap's OpenAPI document states its contracts beyond the generator's defaults.</summary>
internal static class OpenApiConventions
{
    /// <summary>
    /// A property that is always written is required (its value may still be null where its type allows). The generator
    /// only marks constructor parameters required, which leaves properties of derived records (a plan with its staff
    /// travel) optional and the generated TypeScript types full of needless <c>undefined</c>. Members with an ignore
    /// condition (left out when null) stay optional.
    /// </summary>
    public static Task RequireNonNullableProperties(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = context.JsonTypeInfo;
        if (type.Kind != System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object || schema.Properties is not { Count: > 0 } properties)
            return Task.CompletedTask;
        foreach (var p in type.Properties)
        {
            // ShouldSerialize is set when an ignore condition (e.g. [JsonIgnore(Condition = WhenWritingNull)]) may leave it out.
            if (p.Get is null || p.ShouldSerialize is not null || !properties.ContainsKey(p.Name)) continue;
            schema.Required ??= new HashSet<string>();
            schema.Required.Add(p.Name);
        }
        return Task.CompletedTask;
    }
}

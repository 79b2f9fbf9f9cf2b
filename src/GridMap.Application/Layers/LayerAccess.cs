using GridMap.Application.Auth;

namespace GridMap.Application.Layers;

/// <summary>
/// Which permission reading a layer's features through OGC API – Features needs. The heat network's pipes and valves
/// are what <c>/api/network</c> guards with <see cref="Permissions.NetworkRead"/> (网格员 staff do not have it); every
/// other layer is map data (<see cref="Permissions.MapRead"/>).
/// </summary>
public static class LayerAccess
{
    private static readonly HashSet<string> NetworkLayers = new(StringComparer.Ordinal) { "pipes", "valves" };

    /// <summary>The permission reading <paramref name="layerId"/> needs.</summary>
    public static string PermissionFor(string layerId) => NetworkLayers.Contains(layerId) ? Permissions.NetworkRead : Permissions.MapRead;

    /// <summary>True when <paramref name="role"/> may read <paramref name="layerId"/>.</summary>
    public static bool MayRead(string role, string layerId) => Permissions.Allows(role, PermissionFor(layerId));
}

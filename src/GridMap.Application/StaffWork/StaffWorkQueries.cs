using GridMap.Application.Pipeline;
using GridMap.Storage.StaffWork;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GridMap.Application.StaffWork;

/// <summary>What a staff member works on: their name and the cells assigned to them, each with its compounds.</summary>
public sealed record StaffWork(string? StaffName, IReadOnlyList<WorkCell> Cells);

/// <summary>
/// The staff phone view's read use case: "my cells" of the signed-in user (the cells whose <c>grid_cell.staff_id</c> is the
/// staff record the user is linked to), with per compound the stage, households not yet visited and the follow-up due.
/// A user linked to no staff record gets no cells (not an error: an admin may open the view).
/// </summary>
public sealed class StaffWorkQueries(StaffWorkStore store, ICallerAccessor callers)
{
    public async Task<StaffWork> MineAsync(CancellationToken ct = default)
    {
        var (name, cells) = await store.WorkAsync(callers.Current.Name, ct);
        return new StaffWork(name, cells);
    }
}

/// <summary>Registers the staff view's use cases.</summary>
public static class StaffWorkServices
{
    public static IServiceCollection AddStaffWorkUseCases(this IServiceCollection services)
    {
        services.TryAddSingleton<StaffWorkStore>();
        services.TryAddSingleton<StaffWorkQueries>();
        return services;
    }
}

using GridMap.Storage.Campaign;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GridMap.Application.Campaign;

/// <summary>The campaign use cases and what they need.</summary>
public static class CampaignServices
{
    public static IServiceCollection AddCampaignUseCases(this IServiceCollection services)
    {
        services.TryAddSingleton<CampaignStore>();
        services.TryAddSingleton<CampaignQueries>();
        services.TryAddSingleton<CampaignWorkStore>();
        services.TryAddSingleton<CampaignWork>();
        services.AddSingleton(sp => new Pipeline.ResourceReader("compound", async (id, ct) => await sp.GetRequiredService<CampaignQueries>().CompoundAsync((int)id, ct)));
        return services;
    }
}

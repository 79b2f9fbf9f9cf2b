using Microsoft.Extensions.DependencyInjection;

namespace GridMap.Application.Campaign;

/// <summary>The Campaign use cases and what they need.</summary>
public static class CampaignServices
{
    public static IServiceCollection AddCampaignUseCases(this IServiceCollection services)
    {
        return services;
    }
}

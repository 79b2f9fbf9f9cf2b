using System.Text.Json;
using Microsoft.Playwright;

namespace GridMap.Browser.Tests;

/// <summary>A compound a click can reach: its id and the page point to click.</summary>
public sealed record ClickTarget(long Id, float X, float Y);

/// <summary>Finding things on the live OpenLayers map of a page (window.gridmap.map), as a user would point at them.</summary>
public static class MapProbe
{
    /// <summary>
    /// Zooms in to where compounds are drawn one by one (z15: below z13 the tiles carry aggregated points without ids), takes
    /// the largest compounds in view, and returns a page point where a click lands on one of them and on nothing the client
    /// would pick first (valve, station, pipe…).
    /// </summary>
    public static async Task<ClickTarget> FindClickableCompoundAsync(IPage page)
    {
        const string script = """
            async () => {
              const map = window.gridmap.map;
              const byId = id => map.getLayers().getArray().find(l => l.get('id') === id);
              const compounds = byId('compounds');
              const rendered = () => new Promise(r => { map.once('rendercomplete', r); map.render(); });
              if (map.getView().getZoom() < 15) { map.getView().setZoom(15); await rendered(); }
              const area = f => { const e = f.getExtent(); return (e[2] - e[0]) * (e[3] - e[1]); };
              const candidates = compounds.getFeaturesInExtent(map.getView().calculateExtent(map.getSize()))
                .filter(f => Number.isFinite(Number(f.get('id'))))
                .sort((a, b) => area(b) - area(a)).slice(0, 12);
              const picked = ['valves', 'stations', 'heat_sources', 'staff', 'pipes', 'compounds'];
              for (const f of candidates) {
                const e = f.getExtent();
                map.getView().setCenter([(e[0] + e[2]) / 2, (e[1] + e[3]) / 2]);
                map.getView().setZoom(16);
                await rendered();
                const id = Number(f.get('id'));
                const rect = map.getTargetElement().getBoundingClientRect();
                const size = map.getSize();
                for (const [dx, dy] of [[0, 0], [6, 6], [-6, -6], [6, -6], [-6, 6]]) {
                  const px = [size[0] / 2 + dx, size[1] / 2 + dy];
                  const hits = [];
                  map.forEachFeatureAtPixel(px, (g, l) => { hits.push({ layer: l.get('id'), id: Number(g.get('id')) }); },
                    { hitTolerance: 5, layerFilter: l => picked.includes(l.get('id')) });
                  if (hits.length > 0 && hits.every(h => h.layer === 'compounds') && hits[0].id === id)
                    return { id, x: rect.left + px[0], y: rect.top + px[1] };
                }
              }
              return null;
            }
            """;
        var result = await page.EvaluateAsync<JsonElement?>(script);
        Assert.True(result is { ValueKind: JsonValueKind.Object }, "found no compound that a click can reach without hitting a pipe or valve");
        var r = result!.Value;
        return new ClickTarget(r.GetProperty("id").GetInt64(), r.GetProperty("x").GetSingle(), r.GetProperty("y").GetSingle());
    }
}

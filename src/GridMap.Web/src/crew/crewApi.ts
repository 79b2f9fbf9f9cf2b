// The crew's calls of /api/network and the layer features, through the one API client. A call that gets no
// answer throws an ApiError with `isTransport` set: the crew view then falls back to its offline data.
import { call, client } from '../api/client';

export const crewApi = {
  /** The network version on the server (to tell whether the downloaded topology is stale). */
  status: () => call('NetworkStatus', client.GET('/api/network/status')),
  nearest: (lon: number, lat: number, k = 5) => call('NearestPipes', client.GET('/api/network/nearest', { params: { query: { lon, lat, k } } })),
  /** Isolation plan for a burst on `pipe` near lon/lat, with broken valves, and the lines to draw. */
  isolate: (pipe: number, [lon, lat]: [number, number], inoperable: number[]) =>
    call('Isolate', client.GET('/api/network/isolate', {
      params: { query: { pipe, lon, lat, geometry: true, ...(inoperable.length ? { inoperable: inoperable.join(',') } : {}) } },
    })),
  topology: () => call('NetworkTopology', client.GET('/api/network/topology')),
  /** A layer's features in a WGS84 bbox "minLon,minLat,maxLon,maxLat". */
  features: (layer: string, bbox: string, limit: number) =>
    call('LayerFeatures', client.GET('/api/layers/{layer}/features', { params: { path: { layer }, query: { bbox, limit } } })),
};

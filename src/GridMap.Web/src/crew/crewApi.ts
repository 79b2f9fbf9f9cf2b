// The crew's calls of /api/network and the layer features, through the one API client. A call that gets no
// answer throws an ApiError with `isTransport` set: the crew view then falls back to its offline data.
import { call, client } from '../api/client';
import { parseProblem, transportError } from '../api/problem';
import type { Topology } from './isolation';

export const crewApi = {
  /** The network version on the server (to tell whether the downloaded topology is stale). */
  status: () => call('NetworkStatus', client.GET('/api/network/status')),
  nearest: (lon: number, lat: number, k = 5) => call('NearestPipes', client.GET('/api/network/nearest', { params: { query: { lon, lat, k } } })),
  /** Isolation plan for a burst on `pipe` near lon/lat, with broken valves, and the lines to draw. */
  isolate: (pipe: number, [lon, lat]: [number, number], inoperable: number[], crew?: [number, number]) =>
    call('Isolate', client.GET('/api/network/isolate', {
      params: { query: { pipe, lon, lat, geometry: true, ...(inoperable.length ? { inoperable: inoperable.join(',') } : {}), ...(crew ? { crewLon: crew[0], crewLat: crew[1] } : {}) } },
    })),
  topology: () => call('NetworkTopology', client.GET('/api/network/topology')),
  /** Size of an area package before download (bytes gzipped, beside the city's) and the ETag it will have. */
  topologySummary: (bbox: string) => call('NetworkTopologySummary', client.GET('/api/network/topology/summary', { params: { query: { bbox } } })),
  /**
   * The area package of a bbox; with the ETag stored from the last download, `null` when the network has not changed
   * since (304: nothing is sent again).
   */
  areaTopology: async (bbox: string, etag?: string): Promise<{ topology: Topology; etag: string } | null> => {
    let answer;
    try {
      answer = await client.GET('/api/network/topology', { params: { query: { bbox } }, headers: etag ? { 'If-None-Match': etag } : {} });
    } catch (e) {
      throw transportError(e);
    }
    if (answer.response.status === 304) return null;
    if (!answer.response.ok) throw parseProblem(answer.response.status, answer.error, '下载离线拓扑');
    return { topology: answer.data as unknown as Topology, etag: answer.response.headers.get('ETag') ?? '' };
  },
  /** A layer's features in a WGS84 bbox "minLon,minLat,maxLon,maxLat". */
  features: (layer: string, bbox: string, limit: number) =>
    call('LayerFeatures', client.GET('/api/layers/{layer}/features', { params: { path: { layer }, query: { bbox, limit } } })),
};

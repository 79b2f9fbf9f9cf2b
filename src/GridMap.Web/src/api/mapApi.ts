// Calls the shared map pages make (overview, manager, and the map under planner and crew).
import { call, client } from './client';

export const mapApi = {
  config: () => call('ClientConfig', client.GET('/api/config')),
  layers: () => call('Layers', client.GET('/api/layers')),
  retrofitStats: (district?: string, signal?: AbortSignal) =>
    call('RetrofitStats', client.GET('/api/stats/retrofit', { params: { query: district ? { district } : {} }, signal })),
  compound: (id: number, signal?: AbortSignal) => call('Compound', client.GET('/api/compounds/{id}', { params: { path: { id } }, signal })),
  /** Changes to an entity (compound, plan, cell — `planId.idx` in a plan or a 15-digit code —, valve…), newest first. */
  history: (entity: string, id: string, limit = 20, signal?: AbortSignal) =>
    call('History', client.GET('/api/history', { params: { query: { entity, id, limit } }, signal })),
  /** The compound's campaign (issue 10): stage, consents, 五化 checklist, disputes, follow-ups, stage history. */
  campaign: (id: number, signal?: AbortSignal) =>
    call('CompoundCampaign', client.GET('/api/compounds/{id}/campaign', { params: { path: { id } }, signal })),
  pipe: (id: number, signal?: AbortSignal) => call('Pipe', client.GET('/api/pipes/{id}', { params: { path: { id } }, signal })),
  /** GeoJSON of a layer: the whole city (limit) or a WGS84 bbox "minLon,minLat,maxLon,maxLat". */
  features: (layer: string, query: { bbox?: string; limit?: number } = {}, signal?: AbortSignal) =>
    call('LayerFeatures', client.GET('/api/layers/{layer}/features', { params: { path: { layer }, query }, signal })),
};

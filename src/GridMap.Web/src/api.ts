// Typed access to the GridMap HTTP API (contract v0). Every call throws ApiError with the server's
// ProblemDetails title/detail, so views can show the reason instead of a blank panel.

export interface ClientConfig {
  basemapUrl: string | null;
  center: [number, number];
  zoom: number;
  extent: [number, number, number, number];
}

export interface LayerInfo {
  id: string;
  title: string;
  geometryType: 'Polygon' | 'LineString' | 'Point';
  minZoom: number;
  maxZoom: number;
  tileUrl: string;
  featuresUrl: string;
}

export interface StageCount {
  status: string;
  label: string;
  compounds: number;
  households: number;
}

export interface RetrofitStats {
  district?: string | null;
  total: { compounds: number; households: number };
  byStatus: StageCount[];
}

export interface CompoundDetails {
  id: number;
  name: string;
  address: string | null;
  district_code: string;
  district_name: string | null;
  street_name: string | null;
  community_name: string | null;
  households: number;
  buildings: number;
  heated_area_m2: number;
  built_year: number | null;
  heating_system: string;
  retrofit_status: string;
  retrofit_status_label: string | null;
  consent_rate: number;
  dispute: boolean;
  dispute_notes: string | null;
  property_management: boolean;
  fee_status: string;
  secondary_retrofit_year: number | null;
  station_id: number | null;
  station_name: string | null;
  cell_code: string | null;
  cell_name?: string | null;
  staff_name: string | null;
  staff_phone: string | null;
  centroid: [number, number];
  follow_up_visits?: number;
}

export interface PipeDetails {
  id: number;
  level: string;
  flow: string;
  dn: number;
  material: string | null;
  install_year: number | null;
  depth_m: number | null;
  status: string;
  station_id: number | null;
  station_name: string | null;
  length_m: number | null;
  valves?: number[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' }, signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, `无法连接服务器（${url}）`);
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const problem = (await response.json()) as { title?: string; detail?: string };
      message = [problem.title, problem.detail].filter(Boolean).join('：') || message;
    } catch {
      // Not ProblemDetails: keep the status line.
    }
    throw new ApiError(response.status, message);
  }
  return (await response.json()) as T;
}

export const api = {
  config: () => getJson<ClientConfig>('/api/config'),
  layers: () => getJson<LayerInfo[]>('/api/layers'),
  retrofitStats: (district?: string, signal?: AbortSignal) =>
    getJson<RetrofitStats>(
      district ? `/api/stats/retrofit?district=${encodeURIComponent(district)}` : '/api/stats/retrofit',
      signal,
    ),
  compound: (id: number | string, signal?: AbortSignal) =>
    getJson<CompoundDetails>(`/api/compounds/${encodeURIComponent(String(id))}`, signal),
  pipe: (id: number | string, signal?: AbortSignal) =>
    getJson<PipeDetails>(`/api/pipes/${encodeURIComponent(String(id))}`, signal),
  /** GeoJSON FeatureCollection text of a layer, whole city (small layers only: districts, branches, heat sources). */
  featuresUrl: (layer: string, limit = 5000) => `/api/layers/${encodeURIComponent(layer)}/features?limit=${limit}`,
};

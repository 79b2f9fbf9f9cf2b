// Typed calls of /api/planning (docs/api-planning.md). Errors carry the server's ProblemDetails
// title/detail, so the planner can show why an edit was rejected.
import { ApiError } from '../api';

export interface AreaInfo {
  kind: 'district' | 'street' | 'community';
  code: string;
  key: string;
  name: string;
  compounds: number;
  households: number;
  outline: GeoGeometry | null;
}

export interface JobState {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  stage: string;
  fraction: number;
  areaName: string;
  planId: number | null;
  error: string | null;
  elapsedSeconds: number;
}

export interface CellStats {
  idx: number;
  code: string;
  name: string;
  households: number;
  compounds: number;
  deviation: number;
  polsbyPopper: number;
  contiguous: boolean;
  withinBounds: boolean;
  /** Over the maximum only because one compound alone is (not a balance violation). */
  oversize: boolean;
  /** Under the minimum where the engine proved no cell within the window can hold these compounds. */
  undersize: boolean;
  locked: boolean;
  staffId: number | null;
  staffName: string | null;
  staffPinned: boolean;
}

export interface Plan {
  id: number;
  status: 'preview' | 'published' | 'superseded';
  version: number | null;
  area: { kind: string; code: string | null; key: string; name: string; districtCode: string };
  params: Record<string, unknown>;
  search: Record<string, unknown> | null;
  lowerBound: number;
  upperBound: number;
  target: number;
  bbox: [number, number, number, number];
  cells: CellStats[];
  /** Arterial-road crossings the engine allowed (soft barriers), as lines between the two compounds' centres. */
  barrierCrossings: { a: number; b: number; aName: string; bName: string; line: GeoGeometry }[];
  totals: {
    cells: number;
    households: number;
    compounds: number;
    maxDeviation: number;
    meanPolsbyPopper: number;
    allContiguous: boolean;
    allWithinBounds: boolean;
    oversizeCells: number;
    undersizeCells: number;
    cellsWithoutStaff: number;
    lockedCells: number;
  };
  supersededBy: number | null;
}

/** Road distance (路网距离) from each assigned worker's base to their cell (GET …/staff/travel, docs/api-planning.md). */
export interface StaffTravel {
  planId: number;
  method: string;
  detourFactor: number;
  maxSnapMetres: number;
  totalKm: number;
  estimated: number;
  cells: { idx: number; staffId: number; staffName: string; km: number; metres: number; straightKm: number; source: 'road' | 'estimate'; reason: string | null }[];
}

export interface StaffList {
  staff: { id: number; name: string; cell: number | null; busyElsewhere: boolean }[];
  staffWithoutCells: { id: number; name: string }[];
  cellsWithoutStaff: { idx: number; code: string }[];
}

export interface PartitionParams {
  area: { kind: string; code?: string; polygon?: GeoGeometry };
  minHouseholds?: number;
  maxHouseholds?: number;
  cells?: number;
  tolerance?: number;
  barriers: boolean;
  nest: boolean;
  seed: number;
  timeLimit: number;
}

/** A GeoJSON geometry (lon/lat). */
export interface GeoGeometry {
  type: string;
  coordinates: unknown;
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, `无法连接服务器（${url}）`);
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const p = (await response.json()) as { title?: string; detail?: string };
      message = p.detail || p.title || message;
    } catch {
      // not ProblemDetails
    }
    throw new ApiError(response.status, message);
  }
  return (await response.json()) as T;
}

const P = '/api/planning';
export const planning = {
  areaAt: (lon: number, lat: number, kind: string) => call<AreaInfo>('GET', `${P}/areas/at?lon=${lon}&lat=${lat}&kind=${kind}`),
  start: (params: PartitionParams) => call<JobState>('POST', `${P}/partitions`, params),
  job: (id: string) => call<JobState>('GET', `${P}/jobs/${id}`),
  cancel: (id: string) => call<JobState>('DELETE', `${P}/jobs/${id}`),
  plan: (id: number) => call<Plan>('GET', `${P}/plans/${id}`),
  current: (areaKey: string) => call<Plan>('GET', `${P}/current?area=${encodeURIComponent(areaKey)}`),
  cellsUrl: (id: number) => `${P}/plans/${id}/cells`,
  compoundsUrl: (id: number) => `${P}/plans/${id}/compounds`,
  cellsGeoJson: (id: number) => call<object>('GET', `${P}/plans/${id}/cells`),
  compoundsGeoJson: (id: number) => call<object>('GET', `${P}/plans/${id}/compounds`),
  edges: (id: number, a: number, b: number) => call<GeoGeometry[]>('GET', `${P}/plans/${id}/edges?a=${a}&b=${b}`),
  move: (id: number, compoundId: number, toCell: number) =>
    call<{ accepted: boolean; fromCell: number; toCell: number; plan: Plan }>('POST', `${P}/plans/${id}/moves`, { compoundId, toCell }),
  redraw: (id: number, a: number, b: number, edge: GeoGeometry) =>
    call<{ accepted: boolean; reassigned: number[]; plan: Plan }>('PUT', `${P}/plans/${id}/edges`, { a, b, edge }),
  lock: (id: number, idx: number, locked: boolean) => call<Plan>('PUT', `${P}/plans/${id}/cells/${idx}/lock`, { locked }),
  autoStaff: (id: number) => call<Plan & { staffTravel: StaffTravel }>('POST', `${P}/plans/${id}/staff/auto`),
  staffTravel: (id: number) => call<StaffTravel>('GET', `${P}/plans/${id}/staff/travel`),
  assignStaff: (id: number, idx: number, staffId: number | null) =>
    staffId === null ? call<Plan>('DELETE', `${P}/plans/${id}/cells/${idx}/staff`) : call<Plan>('PUT', `${P}/plans/${id}/cells/${idx}/staff`, { staffId }),
  staff: (id: number) => call<StaffList>('GET', `${P}/plans/${id}/staff`),
  publish: (id: number) => call<{ published: boolean; version: number; superseded: number[]; orphanedCompounds: number; plan: Plan }>('POST', `${P}/plans/${id}/publish`),
};

// Calls of /api/planning (docs/api-planning.md) through the one API client; errors arrive as ApiError with
// Chinese text (a refused edit says why).
import { call, client } from '../api/client';
import type { GeoGeometry, PartitionRequest } from '../api/types';

const plan = (id: number) => ({ params: { path: { id } } });
const cell = (id: number, idx: number) => ({ params: { path: { id, idx } } });
/** Every write of a plan is conditional on the plan's ETag as last read (the server answers 412 when it changed since). */
const ifMatch = (etag: string | null) => (etag ? { headers: { 'If-Match': etag } } : {});

export const planning = {
  areaAt: (lon: number, lat: number, kind: string) => call('AreaAt', client.GET('/api/planning/areas/at', { params: { query: { lon, lat, kind } } })),
  start: (body: PartitionRequest) => call('StartPartition', client.POST('/api/planning/partitions', { body })),
  job: (id: string) => call('PartitionJob', client.GET('/api/planning/jobs/{id}', { params: { path: { id } } })),
  cancel: (id: string) => call('CancelPartitionJob', client.DELETE('/api/planning/jobs/{id}', { params: { path: { id } } })),
  plan: (id: number) => call('Plan', client.GET('/api/planning/plans/{id}', plan(id))),
  current: (area: string) => call('CurrentPlan', client.GET('/api/planning/current', { params: { query: { area } } })),
  cellsGeoJson: (id: number) => call('PlanCells', client.GET('/api/planning/plans/{id}/cells', plan(id))),
  compoundsGeoJson: (id: number) => call('PlanCompounds', client.GET('/api/planning/plans/{id}/compounds', plan(id))),
  edges: (id: number, a: number, b: number) => call('SharedEdges', client.GET('/api/planning/plans/{id}/edges', { params: { path: { id }, query: { a, b } } })),
  /** Before a move: the neighbouring cells the compound can go to, best fit first, with both cells' households after. */
  moveOptions: (id: number, compoundId: number) =>
    call('MoveOptions', client.GET('/api/planning/plans/{id}/compounds/{compoundId}/moves', { params: { path: { id, compoundId } } })),
  move: (id: number, etag: string | null, compoundId: number, toCell: number) =>
    call('MoveCompound', client.POST('/api/planning/plans/{id}/moves', { ...plan(id), ...ifMatch(etag), body: { compoundId, toCell } })),
  redraw: (id: number, etag: string | null, a: number, b: number, edge: GeoGeometry) =>
    call('RedrawEdge', client.PUT('/api/planning/plans/{id}/edges', { ...plan(id), ...ifMatch(etag), body: { a, b, edge } })),
  lock: (id: number, etag: string | null, idx: number, locked: boolean) =>
    call('LockCell', client.PUT('/api/planning/plans/{id}/cells/{idx}/lock', { ...cell(id, idx), ...ifMatch(etag), body: { locked } })),
  autoStaff: (id: number, etag: string | null) => call('AutoAssignStaff', client.POST('/api/planning/plans/{id}/staff/auto', { ...plan(id), ...ifMatch(etag) })),
  staffTravel: (id: number) => call('StaffTravel', client.GET('/api/planning/plans/{id}/staff/travel', plan(id))),
  assignStaff: (id: number, etag: string | null, idx: number, staffId: number | null) =>
    staffId === null
      ? call('UnassignStaff', client.DELETE('/api/planning/plans/{id}/cells/{idx}/staff', { ...cell(id, idx), ...ifMatch(etag) }))
      : call('AssignStaff', client.PUT('/api/planning/plans/{id}/cells/{idx}/staff', { ...cell(id, idx), ...ifMatch(etag), body: { staffId } })),
  staff: (id: number) => call('PlanStaff', client.GET('/api/planning/plans/{id}/staff', plan(id))),
  publish: (id: number, etag: string | null) => call('PublishPlan', client.POST('/api/planning/plans/{id}/publish', { ...plan(id), ...ifMatch(etag) })),
  /** The published versions of an area (current and superseded), newest first. */
  versions: (area: string) => call('PlanVersions', client.GET('/api/planning/versions', { params: { query: { area } } })),
  /** Copies a published version as a new preview. */
  restore: (id: number) => call('RestorePlanVersion', client.POST('/api/planning/plans/{id}/restore', plan(id))),
};

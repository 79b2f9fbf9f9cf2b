// Hand-written response types, ONLY for operations whose endpoint does not yet return a typed C# record (so
// /openapi/v1.json has no response schema for them). Keyed by operationId; `Body<'Op'>` in client.ts picks the
// generated type as soon as the server describes an operation, and `npm run build` then names the entries
// here that can go (scripts/gen-api.mjs). Wire names as sent: planning is camelCase, network snake_case.
//
// Operations typed here (used by the client): Compound, Pipe, LayerFeatures, NetworkStatus, NearestPipes,
// Isolate, NetworkTopology, AreaAt, CurrentPlan, Plan, PlanCells, PlanCompounds, SharedEdges, MoveCompound,
// RedrawEdge, LockCell, AutoAssignStaff, StaffTravel, AssignStaff, UnassignStaff, PlanStaff, PublishPlan.
import type { CrewPlan, Topology } from '../crew/isolation';
import type { NearPipe } from '../crew/geo';

/** A GeoJSON geometry (lon/lat). */
export interface GeoGeometry {
  type: string;
  coordinates: unknown;
}

/** A GeoJSON FeatureCollection as the layer and plan endpoints send it (`truncated` when the limit cut it). */
export interface GeoJsonCollection {
  type: string;
  truncated?: boolean;
  // coordinates nest differently per geometry type
  features: { type: string; id?: number | string; geometry: { type: string; coordinates: any } | null; properties: Record<string, unknown> }[];
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

export interface AreaInfo {
  kind: 'district' | 'street' | 'community';
  code: string;
  key: string;
  name: string;
  compounds: number;
  households: number;
  outline: GeoGeometry | null;
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

/** Road distance (路网距离) from each assigned worker's base to their cell (docs/api-planning.md). */
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

/** GET /api/network/isolate?geometry=true: the crew plan with the lines to draw. */
export interface IsolationPlan extends CrewPlan {
  geometry?: { segment: number[][][]; cut_off: number[][][] };
}

/** Responses by operationId, for operations without a response schema yet. */
export interface PendingResponses {
  Compound: CompoundDetails;
  Pipe: PipeDetails;
  LayerFeatures: GeoJsonCollection;
  NetworkStatus: { version: number };
  NearestPipes: { pipes: NearPipe[] };
  Isolate: IsolationPlan;
  NetworkTopology: Topology;
  AreaAt: AreaInfo;
  CurrentPlan: Plan;
  Plan: Plan;
  PlanCells: GeoJsonCollection;
  PlanCompounds: GeoJsonCollection;
  SharedEdges: GeoGeometry[];
  MoveCompound: { accepted: boolean; compoundId: number; fromCell: number; toCell: number; plan: Plan };
  RedrawEdge: { accepted: boolean; reassigned: number[]; plan: Plan };
  LockCell: Plan;
  AutoAssignStaff: Plan & { staffTravel: StaffTravel };
  StaffTravel: StaffTravel;
  AssignStaff: Plan;
  UnassignStaff: Plan;
  PlanStaff: StaffList;
  PublishPlan: { published: boolean; version: number; superseded: number[]; orphanedCompounds: number; renumberedCodes: string[]; plan: Plan };
}

// The API's types by the names the client uses, each taken from the operation that returns it, all generated from
// the server's OpenAPI document (schema.d.ts). Import from here.
import type { Body } from './client';
import type { components } from './schema';

type Schemas = components['schemas'];

export type ClientConfig = Body<'ClientConfig'>;
export type LayerInfo = Schemas['LayerDescription'];
export type RetrofitStats = Body<'RetrofitStats'>;
export type StageCount = Schemas['StageCount'];
export type JobState = Body<'PartitionJob'>;
export type PartitionRequest = Schemas['PartitionBody'];

export type CompoundDetails = Body<'Compound'>;
export type PipeDetails = Body<'Pipe'>;
export type CompoundCampaign = Body<'CompoundCampaign'>;
export type AreaInfo = Body<'AreaAt'>;
export type Plan = Body<'Plan'>;
export type CellStats = Plan['cells'][number];
export type StaffList = Body<'PlanStaff'>;
export type StaffTravel = Body<'StaffTravel'>;
export type PlanVersion = Body<'PlanVersions'>[number];
/** Before a move: the neighbouring cells a compound can go to, best fit first, with both cells' households after. */
export type MoveOptions = Body<'MoveOptions'>;
export type MoveOption = MoveOptions['targets'][number];
export type HistoryPage = Body<'History'>;
export type HistoryEntry = HistoryPage['items'][number];
export type IsolationPlan = Body<'Isolate'>;

/** A GeoJSON geometry (WGS84 lon/lat); coordinates nest by geometry type. */
export interface GeoGeometry {
  type: string;
  coordinates: unknown;
}

/** A GeoJSON FeatureCollection as the layer and plan endpoints send it (`truncated` when a limit cut it short). */
export interface GeoJsonCollection {
  type: string;
  truncated?: boolean;
  // coordinates nest differently per geometry type
  features: { type: string; id?: number | string; geometry: { type: string; coordinates: any } | null; properties: Record<string, unknown> }[];
}
export type ProgressReport = Body<'ProgressStats'>;
export type ProgressUnit = ProgressReport['rows'][number];
export type OpenDispute = NonNullable<ProgressReport['disputes']>[number];

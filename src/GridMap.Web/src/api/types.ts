// The API's types by the names the client uses, each taken from the operation that returns it: generated from the
// OpenAPI document where the server describes the operation, from pending.ts until it does. Import from here.
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
export type AreaInfo = Body<'AreaAt'>;
export type Plan = Body<'Plan'>;
export type CellStats = Plan['cells'][number];
export type StaffList = Body<'PlanStaff'>;
export type StaffTravel = Body<'StaffTravel'>;
export type IsolationPlan = Body<'Isolate'>;

export type { GeoGeometry, GeoJsonCollection } from './pending';

// The planner's state: one plain object the panels read and the actions write. After a change, the action that
// made it calls the panels' render functions (no reactive layer: the few transitions are explicit in actions.ts).
import type Feature from 'ol/Feature';
import type { GeoGeometry, JobState, Plan, StaffList, StaffTravel } from '../api/types';

export type AreaKind = 'street' | 'district' | 'community' | 'polygon';

/** The area to partition: an administrative area picked on the map, or a drawn polygon. */
export interface SelectedArea {
  kind: AreaKind;
  code?: string;
  polygon?: GeoGeometry;
  name: string;
  /** Area key (e.g. street:410105004); a drawn polygon gets one when its first plan loads. */
  key?: string;
}

export interface PlannerState {
  /** The plan shown, once loaded. */
  plan: Plan | null;
  staff: StaffList | null;
  travel: StaffTravel | null;
  area: SelectedArea | null;
  /** The partition job running, if any. */
  job: JobState | null;
  /** The compound picked for a move. */
  selectedCompound: Feature | null;
  /** How a click on the map picks the area. */
  mode: AreaKind;
  /** The two cells whose shared edge is being redrawn. */
  editing: { a: number; b: number } | null;
}

export function createState(): PlannerState {
  return { plan: null, staff: null, travel: null, area: null, job: null, selectedCompound: null, mode: 'street', editing: null };
}

/** Only a preview can be edited. */
export const editable = (s: PlannerState): boolean => s.plan?.status === 'preview';

// The crew view's state: online or not, the downloaded area, the position fix, the nearest pipes and the plan
// being shown (with the valves marked broken).
import type { ClientConfig } from '../api/types';
import type { NearPipe } from './geo';
import type { OfflinePlanner } from './isolation';
import type { OfflineArea } from './offline';

export interface Fix {
  lon: number;
  lat: number;
  /** Metres (radius, as the device reports it). */
  accuracy: number;
  /** Set by hand (search, long press), not by GPS. */
  manual?: boolean;
}

export interface CrewState {
  /** The server answered when the view opened; offline, everything comes from the downloaded area. */
  online: boolean;
  config: ClientConfig;
  area: OfflineArea | undefined;
  /** Built from the downloaded topology on first offline use; dropped when a new area is downloaded. */
  planner: OfflinePlanner | null;
  fix: Fix | null;
  nearest: NearPipe[];
  /** The pipe whose plan is shown and where it burst. */
  current: { pipe: number; burst: [number, number] } | null;
  /** Valves marked broken for the current pipe. */
  broken: Set<number>;
  /** Where valves of the plans shown so far are (to keep broken ones on the map). */
  valveAt: Map<number, [number, number]>;
  /** Compass heading of the phone (degrees from north), when the device reports one; arrows then point relative to it. */
  heading: number | null;
}

export function createState(online: boolean, config: ClientConfig, area: OfflineArea | undefined): CrewState {
  return { online, config, area, planner: null, fix: null, nearest: [], current: null, broken: new Set(), valveAt: new Map(), heading: null };
}

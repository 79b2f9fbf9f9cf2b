// What the planner's actions share: the map, the state, the layers and the panels of one mounted planner view.
import type Map from 'ol/Map';
import type VectorSource from 'ol/source/Vector';
import type { Plan } from '../api/types';
import type { PlannerLayers } from './layers';
import type { CellsPanel } from './panels/cells';
import type { PlanPanel } from './panels/plan';
import type { SetupPanel } from './panels/setup';
import type { PlannerState } from './state';

/** window.gridmapPlanner: the test and debugging hook. */
export interface PlannerHook {
  map: Map;
  /** The plan shown, once loaded (null before). */
  plan: Plan | null;
  /** Resolves after the next plan (re)load has been drawn. */
  loaded: () => Promise<void>;
  cellsSource: VectorSource;
  compoundsSource: VectorSource;
}

declare global {
  interface Window {
    gridmapPlanner?: PlannerHook;
  }
}

export interface PlannerContext {
  map: Map;
  state: PlannerState;
  layers: PlannerLayers;
  setup: SetupPanel;
  plan: PlanPanel;
  cells: CellsPanel;
  hook: PlannerHook;
  /** Resolved (and emptied) once a loaded plan has been rendered. */
  loadedWaiters: (() => void)[];
}

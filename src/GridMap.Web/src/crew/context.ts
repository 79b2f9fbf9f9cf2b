// What the crew view's parts share: the map, the state, the page's elements and the overlay sources.
import type OlMap from 'ol/Map';
import type VectorSource from 'ol/source/Vector';
import type { Sheet } from './panels/sheet';
import type { CrewState } from './state';

export interface CrewContext {
  map: OlMap;
  state: CrewState;
  sheet: Sheet;
  /** The plan, the nearest pipe and the way to it. */
  overlay: VectorSource;
  /** My position and its accuracy circle. */
  position: VectorSource;
  /** Registers something to undo when the view closes. */
  onDispose(cleanup: () => void): void;
}

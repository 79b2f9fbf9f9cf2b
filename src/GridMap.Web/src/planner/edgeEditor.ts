// Redrawing the edge two cells share: the edge as a line the planner drags (Modify), snapping to cell outlines and
// compounds; on release the server re-assigns compounds by side or says why not, and the edge is shown again.
import type Feature from 'ol/Feature';
import type { LineString } from 'ol/geom';
import Modify from 'ol/interaction/Modify';
import Snap from 'ol/interaction/Snap';
import { humanMessage } from '../api/problem';
import type { PlannerActions } from './actions';
import type { PlannerContext } from './context';
import { featureOf } from './layers';
import { planning } from './planningApi';

export interface EdgeEditor {
  /** Narrows the second cell list to the neighbours of the first. */
  firstCellChanged(): void;
  start(): Promise<void>;
  stop(): void;
}

export function createEdgeEditor(ctx: PlannerContext, actions: PlannerActions): EdgeEditor {
  const { map, state, layers } = ctx;
  const { edgeA, edgeB } = ctx.plan;
  const say = ctx.plan.say;
  const modify = new Modify({ source: layers.edgeSource });
  const snapCells = new Snap({ source: layers.cellsSource });
  const snapCompounds = new Snap({ source: layers.compoundsSource });

  const stop = () => {
    state.editing = null;
    layers.edgeSource.clear();
    for (const i of [modify, snapCells, snapCompounds]) map.removeInteraction(i);
    ctx.plan.setEditing(false);
  };

  modify.on('modifyend', async (e) => {
    if (!state.plan || !state.editing) return;
    const f = e.features.item(0) as Feature;
    const g = (f.getGeometry() as LineString).clone().transform('EPSG:3857', 'EPSG:4326') as LineString;
    const { a, b } = state.editing;
    const id = state.plan.id;
    try {
      const r = await planning.redraw(id, state.plan.etag, a, b, { type: 'LineString', coordinates: g.getCoordinates() });
      say(`边界已更新${r.reassigned.length ? `，${r.reassigned.length} 个小区随边界换了网格` : ''}`, 'ok');
    } catch (err) {
      say(`未接受：${humanMessage(err)}`, 'error');
    }
    await actions.loadPlan(id);
    try {
      const lines = await planning.edges(id, a, b);
      layers.edgeSource.clear();
      if (lines.length) layers.edgeSource.addFeature(featureOf(lines[0]));
    } catch {
      stop();
    }
  });

  return {
    firstCellChanged() {
      const a = edgeA.value === '' ? null : Number(edgeA.value);
      // Neighbours of A first: cells whose outline touches A's extent.
      const fa = a === null ? null : layers.cellsSource.getFeatureById(a);
      ctx.plan.cellOptions(edgeB, state, a, '网格乙');
      if (fa) {
        const near = new Set(layers.cellsSource.getFeaturesInExtent(fa.getGeometry()!.getExtent()).map((f) => f.get('idx')));
        [...edgeB.options].forEach((o) => {
          if (o.value !== '' && !near.has(Number(o.value))) o.remove();
        });
      }
    },
    async start() {
      if (!state.plan || edgeA.value === '' || edgeB.value === '') {
        say('请先选择两个相邻网格', 'info');
        return;
      }
      const a = Number(edgeA.value);
      const b = Number(edgeB.value);
      try {
        const lines = await planning.edges(state.plan.id, a, b);
        if (lines.length === 0) {
          say('这两个网格没有共用边界', 'error');
          return;
        }
        stop();
        state.editing = { a, b };
        layers.edgeSource.addFeature(featureOf(lines[0]));
        map.addInteraction(modify);
        map.addInteraction(snapCells);
        map.addInteraction(snapCompounds);
        ctx.plan.setEditing(true);
        say('拖动蓝色虚线上的节点调整边界；两端保持不动', 'info');
      } catch (e) {
        say(humanMessage(e), 'error');
      }
    },
    stop,
  };
}

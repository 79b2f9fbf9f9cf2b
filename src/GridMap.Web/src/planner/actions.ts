// What the planner does when asked: load a plan and show it, pick an area, and the edits of a preview (staff,
// locks, moving a compound, publishing). Every edit goes to the server, which accepts it or says why not (in
// Chinese: ApiError's message); the plan is reloaded after each answer either way.
import { transformExtent } from 'ol/proj';
import { ApiError, humanMessage } from '../api/problem';
import type { CellStats, Plan, PlanVersion, StaffTravel } from '../api/types';
import { showConflict } from './conflict';
import { h } from '../ui/dom';
import type { PlannerContext } from './context';
import { excess, int, pct, shortCode, useCodesOf } from './format';
import { fitVisible } from './view';
import type { Tone } from './panels/plan';
import { drawPlan, featureOf } from './layers';
import { planning } from './planningApi';
import type { AreaKind } from './state';

export interface PlannerActions {
  /** Loads plan `id` (statistics, cells, compounds, staff, travel), draws it and renders the panels; `fit` zooms to it. */
  loadPlan(id: number, fit?: boolean): Promise<void>;
  /** Picks the area of the current mode at a point; offers its published plan when it has one. */
  pickArea(lon: number, lat: number): Promise<void>;
  autoStaff(): Promise<void>;
  publish(): Promise<void>;
  moveSelected(toCell: number): Promise<void>;
  assign(cell: CellStats, staffId: number | null, label: string): Promise<void>;
  lock(cell: CellStats, locked: boolean): Promise<void>;
  focus(cell: CellStats): void;
  /** Shows the history of a compound of the plan (clicked on the map). */
  compoundHistory(id: number, name: string): void;
  /** Copies a published version as a new preview and opens it. */
  restore(v: PlanVersion): Promise<void>;
}

export function createActions(ctx: PlannerContext): PlannerActions {
  const { map, state, layers, setup, hook } = ctx;
  const say = ctx.plan.say;

  /** What the plan panel's history shows: the plan, one of its cells, or a compound of it. */
  let shownHistory: { planId: number; entity: string; id: string; title: string } | null = null;
  const showHistory = (entity: string, id: string, title: string) => {
    if (!state.plan) return;
    shownHistory = { planId: state.plan.id, entity, id, title };
    ctx.plan.showHistory(entity, id, title);
  };

  const loadPlan = async (id: number, fit = false) => {
    const [p, cells, compounds, s, t] = await Promise.all([planning.plan(id), planning.cellsGeoJson(id), planning.compoundsGeoJson(id), planning.staff(id),
      planning.staffTravel(id).catch((): StaffTravel | null => null)]);
    state.plan = p;
    state.staff = s;
    state.travel = t;
    // A drawn polygon stays the selected area when its plan loads, so the planner can run it again (other seed/window).
    if (state.area?.kind === 'polygon' && p.area.kind === 'polygon' && state.area.key === undefined) state.area.key = p.area.key;
    if (!state.area || state.area.key !== p.area.key) {
      state.area = p.area.kind === 'polygon' ? null : { kind: p.area.kind as AreaKind, code: p.area.code ?? undefined, name: p.area.name, key: p.area.key };
      setup.areaName.textContent = `${p.area.name}${p.area.code ? `（${p.area.code}）` : ''}`;
      if (p.area.code) setup.areaName.dataset.code = p.area.code;
      setup.runBtn.disabled = state.area === null;
    }
    useCodesOf(p.cells.map((c) => c.code));
    drawPlan(layers, state, p, cells, compounds);
    if (fit) {
      // On a laptop screen the form has done its job once a plan is shown: folded, the plan panel and its move tool move up.
      if (window.innerHeight < 900) (setup.element as HTMLDetailsElement).open = false;
      fitVisible(map, transformExtent(p.bbox, 'EPSG:4326', 'EPSG:3857'));
    }
    history.replaceState(null, '', `#/planner?plan=${id}`);
    ctx.plan.renderSummary(state);
    ctx.cells.render(state);
    void ctx.plan.renderMove(state);
    // The history shown follows the plan: a cell or compound the planner is looking at stays (refreshed, so their own
    // edit shows in it); a newly opened plan shows its own.
    if (!shownHistory || shownHistory.planId !== p.id) shownHistory = { planId: p.id, entity: 'plan', id: String(p.id), title: `方案 #${p.id} 变更记录` };
    ctx.plan.showHistory(shownHistory.entity, shownHistory.id, shownHistory.title);
    void loadVersions(p);
    hook.plan = p;
    const waiting = ctx.loadedWaiters.splice(0);
    map.once('rendercomplete', () => waiting.forEach((r) => r()));
    map.render();
  };

  const pickArea = async (lon: number, lat: number) => {
    try {
      const a = await planning.areaAt(lon, lat, state.mode);
      state.area = { kind: a.kind as AreaKind, code: a.code, name: a.name, key: a.key };
      layers.areaSource.clear();
      if (a.outline) layers.areaSource.addFeature(featureOf(a.outline));
      setup.areaName.textContent = `${a.name}（${a.code}）· ${a.compounds} 个小区 · ${int(a.households)} 户`;
      setup.areaName.dataset.code = a.code;
      setup.runBtn.disabled = false;
      // An area already planned: offer its current version (404 = not planned yet).
      const current = await planning.current(a.key).catch(() => null);
      if (current && state.area?.key === a.key) {
        const open = h('button', { type: 'button', class: 'link', 'data-testid': 'open-current' }, `查看现行方案（第 ${current.version} 版）`);
        open.addEventListener('click', () => void loadPlan(current.id, true).catch((e) => say(`无法加载方案 #${current.id}：${humanMessage(e)}`, 'error')));
        setup.areaName.append(' ', open);
      }
    } catch (e) {
      say(`未选中范围：${humanMessage(e)}`, 'error');
    }
  };

  /** The published versions of the plan's area, listed in the plan panel (a failure leaves the list as it was). */
  const loadVersions = async (p: Plan) => {
    try {
      const versions = await planning.versions(p.area.key);
      if (state.plan?.id !== p.id) return;
      ctx.plan.renderVersions(versions, state, {
        view: (id) => void loadPlan(id, true).catch((e) => say(`无法加载方案 #${id}：${humanMessage(e)}`, 'error')),
        restore: (v) => void restore(v),
      });
    } catch (e) {
      console.warn('GridMap: versions not listed', e);
    }
  };

  const restore = async (v: PlanVersion) => {
    try {
      const preview = await planning.restore(v.planId);
      await loadPlan(preview.id, true);
      say(`已将第 ${v.version} 版恢复为新的预览方案 #${preview.id}（现行方案未改动，可编辑后发布为新版本）`, 'ok');
    } catch (e) {
      say(`未恢复：${humanMessage(e)}`, 'error');
    }
  };

  /**
   * Runs an edit of the plan shown, conditional on its ETag as loaded, reloads the plan whatever the answer, then says what
   * happened. Edits run one after another: one started while the previous one (or its reload) is under way waits for it,
   * and then sends the ETag the previous one left — a quick second action (a lock ticked while the table is being redrawn
   * after a staff change) is not sent with a stale ETag, and "accepted" is said only once the table shows the result.
   * When someone else changed the plan first (412) nothing was written: the conflict dialog says who and what, and offers
   * to reload and redo the same edit on the plan as it is now.
   */
  let editing: Promise<void> = Promise.resolve();
  const edit = (what: string, run: (etag: string | null) => Promise<string | { text: string; tone: Tone }>, refused: (why: string) => string): Promise<void> => {
    const next = editing.then(() => editNow(what, run, refused));
    editing = next.catch(() => undefined);
    return next;
  };
  const editNow = async (what: string, run: (etag: string | null) => Promise<string | { text: string; tone: Tone }>, refused: (why: string) => string): Promise<void> => {
    if (!state.plan) return;
    const id = state.plan.id;
    let answer: string | { text: string; tone: Tone } | null = null;
    try {
      answer = await run(state.plan.etag);
    } catch (e) {
      if (e instanceof ApiError && e.isStale) {
        say(`未执行「${what}」：${humanMessage(e)}`, 'error');
        await showConflict(e, {
          what,
          reload: () => loadPlan(id),
          redo: async () => {
            await loadPlan(id);
            await editNow(what, run, refused);
          },
        });
        return;
      }
      say(refused(humanMessage(e)), 'error');
    }
    try {
      await loadPlan(id);
    } finally {
      if (typeof answer === 'string') say(answer, 'ok');
      else if (answer) say(answer.text, answer.tone);
    }
  };

  return {
    loadPlan,
    pickArea,
    restore,
    compoundHistory(id, name) {
      showHistory('compound', String(id), `小区「${name}」变更记录`);
    },
    autoStaff: () =>
      edit('自动分配网格员', async (etag) => {
        const r = await planning.autoStaff(state.plan!.id, etag);
        state.plan = r as Plan;
        const est = r.staffTravel.estimated ? `，其中 ${r.staffTravel.estimated} 个按直线估算` : '';
        return `已自动分配网格员（同一分公司内路网距离总和最短，手动指定的保留）：合计 ${r.staffTravel.totalKm.toFixed(1)} km${est}；${r.totals.cellsWithoutStaff} 个网格仍无网格员`;
      }, (why) => why),
    async publish() {
      if (!state.plan) return;
      if (!state.plan.totals.allWithinBounds && !window.confirm('有网格户数超出范围，仍然发布？')) return;
      await edit('发布方案', async (etag) => {
        const r = await planning.publish(state.plan!.id, etag);
        return `已发布为第 ${r.version} 版现行方案${r.superseded.length ? `，取代方案 #${r.superseded.join('、#')}` : ''}${r.orphanedCompounds ? `；${r.orphanedCompounds} 个范围外小区失去网格` : ''}`;
      }, (why) => `未发布：${why}`);
    },
    async moveSelected(toCell) {
      if (!state.plan || !state.selectedCompound) return;
      const compound = Number(state.selectedCompound.getId());
      const target = state.plan.cells.find((c) => c.idx === toCell);
      await edit(`移动小区 #${compound} 到 ${target ? shortCode(target.code) : toCell}`, async (etag) => {
        const r = await planning.move(state.plan!.id, etag, compound, toCell);
        const a = r.plan.cells.find((c) => c.idx === r.fromCell)!;
        const b = r.plan.cells.find((c) => c.idx === r.toCell)!;
        const { lowerBound: lo, upperBound: hi } = r.plan;
        const said = (c: CellStats) => `${shortCode(c.code)} 现 ${int(c.households)} 户（${pct(c.deviation)}${c.households < lo ? '，低于下限' : c.households > hi ? '，超过上限' : ''}）`;
        const text = `已移动：${said(a)}，${said(b)}`;
        // Accepted is not the same as balanced: a move that leaves a cell outside the window is said in amber, not green.
        const out = [a, b].filter((c) => excess(c.households, lo, hi) > 0).length;
        return out ? { text: `${text}。注意：${out} 个网格不在 ${int(lo)}–${int(hi)} 户之间，发布前请调整`, tone: 'warn' } : text;
      }, (why) => `未接受：${why}`);
    },
    assign: (c, staffId, label) =>
      edit(staffId === null ? `取消 ${c.name} 的网格员` : `${c.name} 网格员改为 ${label}`, async (etag) => {
        state.plan = await planning.assignStaff(state.plan!.id, etag, c.idx, staffId);
        return staffId === null ? `${c.name}：已取消网格员` : `${c.name}：网格员改为 ${label}（手动指定）`;
      }, (why) => `未接受：${why}`),
    lock: (c, locked) =>
      edit(`${locked ? '锁定' : '解锁'} ${c.name}`, async (etag) => {
        await planning.lock(state.plan!.id, etag, c.idx, locked);
        return `${c.name} 已${locked ? '锁定' : '解锁'}`;
      }, (why) => why),
    focus(c) {
      if (state.plan) showHistory('cell', `${state.plan.id}.${c.idx}`, `网格 ${shortCode(c.code)} ${c.name} 变更记录`);
      const g = layers.cellsSource.getFeatureById(c.idx)?.getGeometry();
      if (g) fitVisible(map, g.getExtent(), { maxZoom: 17, duration: 300 });
    },
  };
}

// For a burst: which valves to close in which order, who loses heat, and — when a valve turns out broken — a new
// plan at once. Asks the server; without an answer, computes it from the downloaded topology (isolation.ts).
import Feature from 'ol/Feature';
import Point from 'ol/geom/Point';
import MultiLineString from 'ol/geom/MultiLineString';
import { fromLonLat } from 'ol/proj';
import { buffer, createEmpty, extend, isEmpty } from 'ol/extent';
import { ApiError, humanMessage } from '../api/problem';
import type { IsolationPlan } from '../api/types';
import { zh } from '../labels';
import { h } from '../ui/dom';
import type { CrewContext } from './context';
import { crewApi } from './crewApi';
import { gkDistance, nearestPipes } from './geo';
import { conditionLabel } from './fieldRecords';
import { OfflinePlanner } from './isolation';
import { offlineStore, type GeoJsonCollection } from './offline';
import { landmarkOf, walkDistance } from './landmarks';

export type Isolate = (pipe: number, burstNear: [number, number], keepBroken?: boolean) => Promise<void>;

/** Returns isolate(pipe, burst): shows the isolation plan for a burst on `pipe` near `burst` (lon/lat). `record(valve)`
 * opens the field record form for a valve of the plan (fieldRecords.ts). */
export function valvePlans(ctx: CrewContext, record: (valve: number, anchor?: Element) => void, recordPipe?: (pipe: number, anchor?: Element) => void): Isolate {
  const { map, state, overlay } = ctx;
  const box = ctx.sheet.planBox;
  let generation = 0;

  const ensurePlanner = async () => {
    if (state.planner) return state.planner;
    const topo = await offlineStore.topology();
    if (!topo) throw new Error('没有离线管网拓扑：请先下载区域');
    state.planner = new OfflinePlanner(topo);
    return state.planner;
  };

  const linesFor = (ids: number[]): number[][][] => {
    if (!state.area) return [];
    const want = new Set(ids);
    return state.area.layers.pipes.features.filter((f) => want.has(Number(f.properties.id)) && f.geometry).map((f) => f.geometry!.coordinates as number[][]);
  };

  const isolate: Isolate = async (pipe, burstNear, keepBroken = false) => {
    if (!keepBroken || state.current?.pipe !== pipe) state.broken.clear();
    state.current = { pipe, burst: burstNear };
    const gen = ++generation;
    box.dataset.state = 'loading';
    box.replaceChildren(h('p', { class: 'muted' }, `正在计算管段 #${pipe} 的关阀方案…`));
    const inoperable = [...state.broken].sort((a, b) => a - b);
    const crew: [number, number] | undefined = state.fix ? [state.fix.lon, state.fix.lat] : undefined;
    let plan: IsolationPlan;
    let source = 'online';
    let beyond = false;
    try {
      if (!state.online) throw new ApiError(0, 'offline');
      plan = await crewApi.isolate(pipe, burstNear, inoperable, crew);
    } catch (e) {
      if (state.online && !(e instanceof ApiError && e.isTransport)) {
        box.dataset.state = 'error';
        box.replaceChildren(h('p', { class: 'crew-error' }, `无法生成方案：${humanMessage(e)}`));
        return;
      }
      try {
        const p = await ensurePlanner();
        // The burst is the point of the pipe nearest the tap, as the server projects it.
        const feat = state.area?.layers.pipes.features.find((x) => Number(x.properties.id) === pipe);
        const at = feat ? nearestPipes([feat] as never, burstNear[0], burstNear[1], 1)[0] : undefined;
        const offline = p.plan(pipe, at?.closest ?? burstNear, inoperable, gkDistance, at?.along_m, crew);
        beyond = offline.beyond_package;
        plan = { ...offline, geometry: null, fieldRecords: [] }; // the offline engine draws no geometry; the downloaded topology already carries the field records
        source = 'offline';
      } catch (err) {
        box.dataset.state = 'error';
        box.replaceChildren(h('p', { class: 'crew-error' }, `无法生成离线方案：${humanMessage(err)}`));
        return;
      }
    }
    if (gen !== generation) return;
    // What changed since the plan shown for this burst (a valve marked broken, a record, a new network).
    const before = keepBroken && previous?.pipe === pipe ? previous : null;
    previous = plan;
    await show(plan, source, before, beyond);
  };
  let previous: IsolationPlan | null = null;

  /** Roads and compounds around the plan's valves, to say where each one is: the area's when downloaded, else fetched. */
  const siteLayers = async (plan: IsolationPlan): Promise<{ roads?: GeoJsonCollection; compounds?: GeoJsonCollection }> => {
    if (!plan.valves_to_close.length) return {};
    const xs = plan.valves_to_close.map((v) => v.lon);
    const ys = plan.valves_to_close.map((v) => v.lat);
    const pad = 0.003;
    const bbox: [number, number, number, number] = [Math.min(...xs) - pad, Math.min(...ys) - pad, Math.max(...xs) + pad, Math.max(...ys) + pad];
    const a = state.area;
    if (a && a.bbox[0] <= bbox[0] && a.bbox[1] <= bbox[1] && a.bbox[2] >= bbox[2] && a.bbox[3] >= bbox[3]) return { roads: a.layers.roads, compounds: a.layers.compounds };
    if (!state.online) return a ? { roads: a.layers.roads, compounds: a.layers.compounds } : {};
    const b = bbox.map((v) => v.toFixed(6)).join(',');
    const [roads, compounds] = await Promise.all([crewApi.features('roads', b, 2000).catch(() => undefined), crewApi.features('compounds', b, 2000).catch(() => undefined)]);
    return { roads, compounds };
  };

  /** One line on what changed between two plans for the same burst, and why. */
  const changeNote = (before: IsolationPlan, after: IsolationPlan): HTMLElement | null => {
    const was = new Set(before.valves_to_close.map((v) => v.id));
    const now = new Set(after.valves_to_close.map((v) => v.id));
    const added = after.valves_to_close.filter((v) => !was.has(v.id)).map((v) => `#${v.id}`);
    const dropped = before.valves_to_close.filter((v) => !now.has(v.id)).map((v) => `#${v.id}`);
    const newlyBroken = after.inoperable.filter((id) => !before.inoperable.includes(id));
    const repaired = before.inoperable.filter((id) => !after.inoperable.includes(id));
    if (!added.length && !dropped.length && !newlyBroken.length && !repaired.length && before.affected_households === after.affected_households) return null;
    const why: string[] = [];
    if (newlyBroken.length) why.push(`阀门 ${newlyBroken.map((id) => `#${id}`).join('、')} 无法关闭，水会从它那边继续流入，只能改关更外侧的阀门，隔离范围扩大到它另一侧的管段`);
    if (repaired.length) why.push(`阀门 ${repaired.map((id) => `#${id}`).join('、')} 已恢复可用，隔离范围缩回`);
    const what: string[] = [];
    if (dropped.length) what.push(`不再关闭 ${dropped.join('、')}`);
    if (added.length) what.push(`新增关闭 ${added.join('、')}`);
    what.push(`停热 ${zh.int(before.affected_households)} → ${zh.int(after.affected_households)} 户，小区 ${before.affected_compounds.length} → ${after.affected_compounds.length} 个，隔离管段 ${before.segment_pipes.length} → ${after.segment_pipes.length} 条`);
    return h('p', { class: 'crew-change', 'data-testid': 'crew-change' }, h('strong', {}, '方案已变化：'), `${why.length ? `因为${why.join('；')}。` : ''}${what.join('；')}。`);
  };

  const markBroken = (valve: number) => {
    state.broken.add(valve);
    if (state.current) void isolate(state.current.pipe, state.current.burst, true);
  };

  const show = async (plan: IsolationPlan, source: string, before: IsolationPlan | null, beyond: boolean) => {
    const genShown = generation;
    const site = await siteLayers(plan).catch(() => ({}) as { roads?: GeoJsonCollection; compounds?: GeoJsonCollection });
    if (genShown !== generation) return;
    const crew: [number, number] | null = state.fix ? [state.fix.lon, state.fix.lat] : null;
    overlay.getFeatures().filter((x) => x.get('role') !== 'nearest' && x.get('role') !== 'toPipe').forEach((x) => overlay.removeFeature(x));
    const seg = plan.geometry?.segment ?? linesFor(plan.segment_pipes);
    const cut = plan.geometry?.cut_off ?? linesFor(plan.cut_off_pipes);
    const toMerc = (lines: number[][][]) => lines.map((l) => l.map((c) => fromLonLat(c)));
    if (cut.length) overlay.addFeature(new Feature({ geometry: new MultiLineString(toMerc(cut)), role: 'cutoff' }));
    if (seg.length) overlay.addFeature(new Feature({ geometry: new MultiLineString(toMerc(seg)), role: 'segment' }));
    overlay.addFeature(new Feature({ geometry: new Point(fromLonLat(plan.burst)), role: 'burst' }));
    for (const v of plan.valves_to_close) {
      state.valveAt.set(v.id, [v.lon, v.lat]);
      overlay.addFeature(new Feature({ geometry: new Point(fromLonLat([v.lon, v.lat])), role: 'valve', order: v.order, required: v.required, valve: v.id }));
    }
    // Valves marked broken stay on the map, crossed out.
    for (const id of plan.inoperable) {
      const at = state.valveAt.get(id);
      if (at) overlay.addFeature(new Feature({ geometry: new Point(fromLonLat(at)), role: 'broken', valve: id }));
    }
    // Show the whole job: the burst, the segment and every valve to close (cut-off pipes may span the district).
    const ext = createEmpty();
    for (const f of overlay.getFeatures()) if (f.get('role') === 'segment' || f.get('role') === 'valve' || f.get('role') === 'burst') extend(ext, f.getGeometry()!.getExtent());
    if (!isEmpty(ext)) map.getView().fit(buffer(ext, 15), { padding: [30, 30, 30, 30], maxZoom: 19, duration: 0 });

    const valveRow = (v: IsolationPlan['valves_to_close'][number]) => {
      const where = landmarkOf(v.lon, v.lat, site.roads, site.compounds);
      const fromCrew = crew ? walkDistance(crew, v.lon, v.lat) : null;
      return h(
        'li',
        { 'data-testid': `crew-valve-${v.id}`, 'data-valve': v.id, 'data-required': v.required ? 'true' : 'false', class: v.required ? 'required' : '' },
        h('span', { class: 'crew-order' }, String(v.order)),
        h(
          'span',
          { class: 'crew-valve-text' },
          h('span', {}, `阀门 #${v.id}`, fromCrew !== null ? h('b', { class: 'crew-walk' }, ` · 距您 ${zh.num1(fromCrew)} 米`) : null, ` · 距爆管 ${zh.num1(v.distance_m)} 米`),
          where ? h('span', { class: 'crew-site', 'data-testid': `crew-site-${v.id}` }, `位置：${where}`) : null,
          h('small', {}, v.required ? '必须关闭（另一侧仍有水源）' : '建议关闭（另一侧同时停热，不关也不会进水）'),
        ),
        h('span', { class: 'crew-valve-actions' },
          h('button', { type: 'button', class: 'crew-broken', 'data-testid': `crew-broken-${v.id}`, onclick: () => markBroken(v.id), title: '仅在本机按损坏重新计算' }, '损坏/无法关闭'),
          h('button', { type: 'button', class: 'crew-record-btn', 'data-testid': `crew-record-${v.id}`, onclick: (e: Event) => record(v.id, (e.currentTarget as HTMLElement).closest('li') ?? undefined), title: '记录到系统：之后所有人的方案都按此计算' }, '现场记录'),
        ),
      );
    };
    // Necessity first (the list arrives required-first, nearest the crew next), each group under its own heading.
    const required = plan.valves_to_close.filter((v) => v.required);
    const optional = plan.valves_to_close.filter((v) => !v.required);
    const valves = [
      required.length ? h('li', { class: 'crew-valve-group', 'aria-hidden': 'true' }, `必须关闭（${required.length} 个）`) : null,
      ...required.map(valveRow),
      optional.length ? h('li', { class: 'crew-valve-group optional', 'aria-hidden': 'true' }, `建议关闭（${optional.length} 个）`) : null,
      ...optional.map(valveRow),
    ].filter((x): x is HTMLLIElement => x !== null);
    const undoBroken = () => {
      state.broken.clear();
      if (state.current) void isolate(state.current.pipe, state.current.burst, true);
    };
    box.dataset.state = 'ready';
    box.dataset.source = source;
    box.dataset.pipe = String(plan.pipe);
    box.replaceChildren(
      ...[
        h('h3', {}, `管段 #${plan.pipe} 关阀方案`, h('span', { class: `crew-source ${source}` }, source === 'online' ? '服务器' : '离线计算')),
        recordPipe
          ? h('div', { class: 'crew-buttons' }, h('button', { type: 'button', class: 'crew-record-btn', 'data-testid': 'crew-plan-pipe-record', onclick: (e: Event) => recordPipe(plan.pipe, e.currentTarget as HTMLElement) }, '记录此管段（位置/埋深/漏标阀门/管径）'))
          : null,
        h(
          'p',
          { class: 'crew-summary' },
          '停热 ',
          h('strong', { 'data-testid': 'crew-households', 'data-households': plan.affected_households }, `${zh.int(plan.affected_households)} 户`),
          ` · ${plan.affected_compounds.length} 个小区 · 隔离管段 ${plan.segment_pipes.length} 条 · 连带停热管段 ${plan.cut_off_pipes.length} 条`,
        ),
        before ? changeNote(before, plan) : null,
        beyond
          ? h('p', { class: 'crew-error', 'data-testid': 'crew-beyond-package' }, '注意：损坏的阀门使隔离范围超出了已下载的离线范围，此方案不完整。请联网重新计算，或下载更大的范围。')
          : null,
        plan.inoperable.length
          ? h('p', { class: 'crew-broken-list', 'data-testid': 'crew-inoperable' }, `已标记损坏：${plan.inoperable.map((id) => `#${id}`).join('、')} `, h('button', { type: 'button', onclick: undoBroken }, '全部撤销'))
          : null,
        h('h4', {}, `需关闭阀门（先必须、后建议，各按离您由近到远；共 ${plan.valves_to_close.length} 个）`),
        valves.length ? h('ol', { class: 'crew-valves', 'data-testid': 'crew-valves' }, ...valves) : h('p', { class: 'crew-error' }, '没有可关闭的阀门：需在上游停运。'),
        plan.valves_already_closed.length ? h('p', { class: 'muted' }, `已处于关闭状态：${plan.valves_already_closed.map((id) => `#${id}`).join('、')}`) : null,
        plan.fieldRecords?.length
          ? h(
              'div',
              { class: 'crew-field-records', 'data-testid': 'crew-field-records' },
              h('h4', {}, '方案依据的现场记录'),
              h('ul', {}, ...plan.fieldRecords.map((r) => h('li', { 'data-record': r.id }, `阀门 #${r.valve}：${conditionLabel(r.condition)}`, h('small', {}, ` ${r.reported_by} · ${new Date(r.reported_at).toLocaleString('zh-CN')}${r.note ? ` · ${r.note}` : ''}`)))),
            )
          : null,
        h('h4', {}, '受影响小区'),
        h(
          'ul',
          { class: 'crew-compounds', 'data-testid': 'crew-compounds' },
          ...plan.affected_compounds.slice(0, 200).map((c) => h('li', { 'data-compound': c.id }, `${c.name}`, h('span', {}, `${zh.int(c.households)} 户`))),
          plan.affected_compounds.length > 200 ? h('li', { class: 'muted' }, `…另有 ${plan.affected_compounds.length - 200} 个小区`) : null,
        ),
      ].filter((x): x is NonNullable<typeof x> => x !== null),
    );
    box.scrollIntoView({ block: 'start' });
  };

  return isolate;
}

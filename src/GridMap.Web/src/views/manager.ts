// 改造进度看板 (manager view): city-wide retrofit coverage by district. One stacked progress bar per
// district (households or compounds per campaign stage, from /api/stats/retrofit?district=…) over
// the shared map page; choosing a district zooms to it and scopes the legend counts to it.
import GeoJSON from 'ol/format/GeoJSON';
import { createEmpty, extend, getIntersection, isEmpty } from 'ol/extent';
import type VectorTileLayer from 'ol/layer/VectorTile';
import type VectorLayer from 'ol/layer/Vector';
import type VectorSource from 'ol/source/Vector';
import type Feature from 'ol/Feature';
import { mapApi } from '../api/mapApi';
import { humanMessage, isAbort } from '../api/problem';
import type { RetrofitStats } from '../api/types';
import { zh } from '../labels';
import { createMapPage } from '../map/mapPage';
import { palette, statusStyle } from '../palette';
import { districtStyle, withAlpha } from '../map/styles';
import { Fill, Stroke, Style } from 'ol/style';
import type { FeatureLike } from 'ol/Feature';
import { h, isNarrow, panel } from '../ui/dom';
import type { View } from './view';

interface DistrictRow {
  code: string;
  name: string;
  branch: string;
  stats: RetrofitStats | null;
  error?: string;
}

type Measure = 'households' | 'compounds';

export const manager: View = {
  title: '改造进度看板',
  async mount(root) {
    // A manager reads coverage, not valves: the network layers start hidden (the switcher can show them).
    const page = await createMapPage(root, 'manager', { hiddenLayers: ['pipes', 'valves', 'stations'] });
    void page.loadStats();

    const list = h('ol', { class: 'progress-list', role: 'list', 'data-testid': 'district-progress' }, h('li', { class: 'hint' }, '正在统计各区进度…'));
    const scope = h('p', { class: 'scope' }, '范围：全市');
    const measureSel = h(
      'select',
      { 'aria-label': '进度条度量', 'data-testid': 'progress-measure' },
      h('option', { value: 'households' }, '按户数'),
      h('option', { value: 'compounds' }, '按小区数'),
    ) as HTMLSelectElement;
    const cityBtn = h('button', { type: 'button', class: 'link' }, '显示全市');
    const key = h(
      'div',
      { class: 'choropleth-key' },
      '区底色：完成率',
      h('span', { class: 'ramp', style: `background:linear-gradient(90deg, ${withAlpha(palette.retrofitStatus[6].fill, 0.06)}, ${withAlpha(palette.retrofitStatus[6].fill, 0.56)})` }),
      '0% → 100%',
    );
    const box = panel('各区改造进度', 'manager-panel', 'progress', h('div', { class: 'progress-tools' }, scope, measureSel, cityBtn), list, key);
    page.sideColumn.prepend(box);

    const districtsLayer = page.layers.byId.get('districts')?.layer as VectorLayer<VectorSource<Feature>> | undefined;
    const abort = new AbortController();
    let rows: DistrictRow[] = [];
    let selected: string | null = null;

    // Districts tinted by completed share (choropleth) under the compounds, so coverage reads at city zoom.
    const done = palette.retrofitStatus[palette.retrofitStatus.length - 1];
    const tint = new globalThis.Map<string, Style>();
    const selectedOutline = new Style({ stroke: new Stroke({ color: '#1d3557', width: 3.5 }), zIndex: 4 });
    const choropleth = (feature: FeatureLike, resolution: number) => {
      const base = districtStyle(feature, resolution);
      const r = rows.find((x) => x.code === String(feature.get('code')));
      if (!r?.stats || r.stats.total.compounds === 0) return base;
      const outline = r.code === selected ? [selectedOutline] : [];
      const share = completedShare(r.stats, measureSel.value as Measure);
      const key = `${r.code}:${share.toFixed(2)}`;
      let fill = tint.get(key);
      if (!fill) {
        fill = new Style({
          fill: new Fill({ color: withAlpha(done.fill, 0.06 + 0.5 * share) }),
          stroke: new Stroke({ color: palette.basemap.district.stroke, width: palette.basemap.district.width }),
        });
        tint.set(key, fill);
      }
      return [fill, ...outline, ...(Array.isArray(base) ? base.slice(1) : [])];
    };
    districtsLayer?.setStyle(choropleth);

    const render = () => {
      districtsLayer?.changed();
      const measure = measureSel.value as Measure;
      const withWork = rows.filter((r) => r.stats && r.stats.total.compounds > 0);
      const without = rows.filter((r) => !r.stats || r.stats.total.compounds === 0);
      list.replaceChildren(
        ...withWork.map((r) => districtItem(r, measure, r.code === selected, () => choose(r))),
        ...without
          .filter((r) => r.error)
          .map((r) => h('li', { class: 'progress-item empty', 'data-district': r.code }, h('div', { class: 'progress-name' }, r.name), h('div', { class: 'legend-error' }, `统计失败：${r.error}`))),
        without.some((r) => !r.error)
          ? h('li', { class: 'progress-item empty hint' }, `无老旧小区改造任务：${without.filter((r) => !r.error).map((r) => r.name).join('、')}`)
          : '',
      );
    };

    const zoomTo = (code: string | null) => {
      const source = districtsLayer?.getSource();
      const view = page.map.getView();
      if (!code || !source) return;
      const f = source.getFeatures().find((x) => String(x.get('code')) === code);
      const g = f?.getGeometry();
      if (!g) return;
      // Districts reach far into the countryside while their old compounds are in the city: fit the
      // district's compounds among those already loaded, else the part of the district inside the city.
      const compounds = page.layers.byId.get('compounds')?.layer as VectorTileLayer | undefined;
      const own = compounds?.getFeaturesInExtent(g.getExtent()).filter((c) => String(c.get('district_code')) === code) ?? [];
      let target = createEmpty();
      for (const c of own) extend(target, c.getExtent());
      if (isEmpty(target)) target = getIntersection(g.getExtent(), page.cityExtent);
      // Keep the fitted area clear of the side panels on a desktop screen.
      const padding = isNarrow() ? [60, 20, 60, 20] : [60, 320, 40, 380];
      view.fit(isEmpty(target) ? g.getExtent() : target, { padding, duration: 400, maxZoom: 15 });
    };

    const choose = (r: DistrictRow) => {
      selected = r.code;
      scope.textContent = `范围：${r.name}`;
      page.legend.setScope(r.name);
      void page.loadStats(r.code);
      zoomTo(r.code);
      render();
    };
    cityBtn.addEventListener('click', () => {
      selected = null;
      scope.textContent = '范围：全市';
      page.legend.setScope('全市');
      void page.loadStats();
      render();
    });
    measureSel.addEventListener('change', render);

    void (async () => {
      try {
        const features = new GeoJSON().readFeatures(await mapApi.features('districts', { limit: 5000 }, abort.signal));
        rows = features.map((f) => ({
          code: String(f.get('code') ?? f.getId()),
          name: String(f.get('name') ?? f.get('code')),
          branch: String(f.get('branch_name') ?? ''),
          stats: null,
        }));
        await Promise.all(
          rows.map(async (r) => {
            try {
              r.stats = await mapApi.retrofitStats(r.code, abort.signal);
            } catch (e) {
              if (isAbort(e)) throw e;
              r.error = humanMessage(e);
            }
          }),
        );
        rows.sort((a, b) => (b.stats?.total.households ?? 0) - (a.stats?.total.households ?? 0));
        render();
      } catch (e) {
        if (isAbort(e)) return;
        list.replaceChildren(h('li', { class: 'legend-error', role: 'alert' }, `各区统计加载失败：${humanMessage(e)}`));
      }
    })();

    return () => {
      abort.abort();
      page.dispose();
    };
  },
};

function completedShare(stats: RetrofitStats, measure: Measure): number {
  const total = stats.total[measure];
  const done = stats.byStatus.find((s) => s.status === 'completed')?.[measure] ?? 0;
  return total > 0 ? done / total : 0;
}

function districtItem(r: DistrictRow, measure: Measure, active: boolean, onClick: () => void): HTMLElement {
  const stats = r.stats!;
  const total = stats.total[measure];
  const bar = h('div', { class: 'stacked-bar', role: 'img', 'aria-label': `${r.name} 各阶段占比` });
  for (const s of stats.byStatus) {
    const v = s[measure];
    if (v <= 0) continue;
    const st = statusStyle(s.status);
    bar.append(h('span', { class: 'seg', style: `width:${(v / total) * 100}%;background:${st.fill}`, title: `${s.label}：${zh.int(v)}${measure === 'households' ? ' 户' : ' 个小区'}` }));
  }
  const unit = measure === 'households' ? '户' : '个小区';
  return h(
    'li',
    { class: `progress-item${active ? ' active' : ''}`, 'data-district': r.code, 'data-name': r.name, 'data-testid': `district-${r.code}` },
    h(
      'button',
      { type: 'button', class: 'progress-button', title: `查看${r.name}`, onclick: onClick },
      h('div', { class: 'progress-name' }, r.name, r.branch ? h('span', { class: 'branch' }, r.branch) : null, h('span', { class: 'pct' }, `完成 ${zh.num1(completedShare(stats, measure) * 100)}%`)),
      bar,
      h('div', { class: 'progress-sub' }, `${zh.int(stats.total.compounds)} 个小区 · ${zh.int(stats.total.households)} 户；已完成 ${zh.int(stats.byStatus.find((s) => s.status === 'completed')?.[measure] ?? 0)} ${unit}`),
    ),
  );
}

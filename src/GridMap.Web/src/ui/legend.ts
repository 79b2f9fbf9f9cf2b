// The map legend: one row per retrofit status (colour, zh label, compounds and households from
// /api/stats/retrofit), the dispute marker, and the network symbols, all drawn from the palette.
import type { RetrofitStats } from '../api/types';
import { zh } from '../labels';
import { palette, pipeWidth, type PointSymbol } from '../palette';
import { withAlpha } from '../map/styles';
import { h, isNarrow, panel, svg } from './dom';

export interface Legend {
  element: HTMLElement;
  setStats(stats: RetrofitStats): void;
  setError(message: string): void;
  /** Names the area the counts cover (全市 or a district). */
  setScope(scope: string): void;
}

function swatch(fill: string, stroke: string, strokeWidth = 1): SVGSVGElement {
  return svg(
    22,
    16,
    `<rect x="${1 + strokeWidth / 2}" y="${1 + strokeWidth / 2}" width="${20 - strokeWidth}" height="${14 - strokeWidth}" rx="2"
       fill="${fill}" stroke="${stroke}" stroke-width="${strokeWidth}"/>`,
  );
}

function lineSample(color: string, width: number, dash: number[] = []): SVGSVGElement {
  return svg(34, 14, `<line x1="2" y1="7" x2="32" y2="7" stroke="${color}" stroke-width="${width}" stroke-dasharray="${dash.join(' ')}"/>`);
}

/** The same shapes as map/styles.ts symbolImage, as SVG. */
export function symbolSvg(sym: Pick<PointSymbol, 'shape' | 'fill' | 'stroke' | 'radius'>): SVGSVGElement {
  const r = Math.min(sym.radius, 8);
  const c = 10;
  let shape: string;
  switch (sym.shape) {
    case 'square':
      shape = `<rect x="${c - r}" y="${c - r}" width="${2 * r}" height="${2 * r}" fill="${sym.fill}" stroke="${sym.stroke}" stroke-width="1.5"/>`;
      break;
    case 'triangle':
      shape = `<polygon points="${c},${c - r} ${c + r * 0.87},${c + r * 0.5} ${c - r * 0.87},${c + r * 0.5}" fill="${sym.fill}" stroke="${sym.stroke}" stroke-width="1.5"/>`;
      break;
    case 'cross':
      shape = `<path d="M${c - r * 0.7},${c - r * 0.7} L${c + r * 0.7},${c + r * 0.7} M${c + r * 0.7},${c - r * 0.7} L${c - r * 0.7},${c + r * 0.7}" stroke="${sym.stroke}" stroke-width="2.5"/>`;
      break;
    default:
      shape = `<circle cx="${c}" cy="${c}" r="${r}" fill="${sym.fill}" stroke="#555" stroke-width="1"/>`;
  }
  return svg(20, 20, shape);
}

/** A legend row that toggles something on the map (aria-pressed = shown). */
function toggleRow(row: HTMLElement, onToggle: (visible: boolean) => void): HTMLElement {
  row.setAttribute('role', 'button');
  row.setAttribute('tabindex', '0');
  row.setAttribute('aria-pressed', 'true');
  const toggle = () => {
    const visible = row.getAttribute('aria-pressed') !== 'true';
    row.setAttribute('aria-pressed', String(visible));
    row.classList.toggle('off', !visible);
    onToggle(visible);
  };
  row.addEventListener('click', toggle);
  row.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      toggle();
    }
  });
  return row;
}

export function createLegend(
  onToggleStatus: (status: string, visible: boolean) => void,
  onTogglePipeLevel: (level: string, visible: boolean) => void = () => {},
): Legend {
  const rows = new Map<string, { row: HTMLElement; count: HTMLElement; share: HTMLElement }>();
  const statusList = h('ul', { class: 'legend-status', role: 'list' });
  for (const s of palette.retrofitStatus) {
    const count = h('span', { class: 'legend-count', 'data-testid': `legend-count-${s.code}` }, '…');
    const share = h('span', { class: 'legend-share' });
    const row = toggleRow(
      h(
        'li',
        { class: 'legend-row', 'data-testid': `legend-${s.code}`, 'data-status': s.code, title: `点击在地图上隐藏/显示「${s.label}」小区` },
        swatch(withAlpha(s.fill, palette.compound.fillOpacity), s.stroke),
        h('span', { class: 'legend-label' }, s.label),
        count,
        share,
      ),
      (visible) => onToggleStatus(s.code, visible),
    );
    rows.set(s.code, { row, count, share });
    statusList.append(row);
  }
  const totalCount = h('span', { class: 'legend-count', 'data-testid': 'legend-total-count' }, '…');
  const total = h('div', { class: 'legend-row legend-total', 'data-testid': 'legend-total' }, h('span', { class: 'legend-label' }, '合计'), totalCount);
  const error = h('div', { class: 'legend-error', role: 'alert', hidden: true });

  const d = palette.compound.dispute;
  const network = h(
    'details',
    { class: 'legend-network' },
    h('summary', {}, '管网与设施'),
    h(
      'ul',
      { class: 'legend-symbols', role: 'list' },
      ...palette.pipeLevel.map((l) =>
        toggleRow(
          h('li', { class: 'toggle', 'data-testid': `legend-pipe-${l.code}`, title: `点击隐藏/显示${l.label}管道（${l.minZoom} 级起显示）` }, lineSample(l.color, 3), `${l.label}`),
          (visible) => onTogglePipeLevel(l.code, visible),
        ),
      ),
      ...palette.pipeFlow.map((f) => h('li', {}, lineSample('#555', 2, f.dash), `${f.label}${f.dash.length ? '（虚线）' : '（实线）'}${f.minZoom > 0 ? `，${f.minZoom} 级起` : ''}`)),
      h(
        'li',
        { class: 'wide' },
        '线宽随管径增大：',
        ...[100, 300, 800].map((dn) => h('span', { class: 'dn' }, lineSample('#555', pipeWidth(dn)), `DN${dn}`)),
      ),
      h('li', {}, symbolSvg(palette.heatSource), palette.heatSource.label),
      h('li', {}, symbolSvg(palette.station), palette.station.label),
      ...palette.valve.states.map((v) => h('li', {}, symbolSvg(v), `阀门：${v.label}`)),
    ),
  );
  // Short screens keep the status rows in view; the symbol key is one click away.
  network.open = !isNarrow() && window.innerHeight >= 820;

  const element = panel(
    '改造进度图例 · 全市',
    'legend',
    'legend',
    h('div', { class: 'legend-head' }, h('span', {}, '改造状态'), h('span', {}, '小区 · 户数')),
    statusList,
    total,
    h('div', { class: 'legend-row legend-dispute' }, swatch('rgba(255,255,255,0.6)', d.stroke, d.width), h('span', { class: 'legend-label' }, `${d.label}（红色描边）`)),
    error,
    h('p', { class: 'hint' }, '点击改造状态或管网级别，可在地图上隐藏/显示该类要素'),
    network,
  );

  const summary = element.querySelector('summary')!;
  return {
    element,
    setScope(scope) {
      summary.textContent = `改造进度图例 · ${scope}`;
    },
    setStats(stats) {
      error.hidden = true;
      const denominator = stats.total.compounds || 1;
      for (const s of stats.byStatus) {
        const r = rows.get(s.status);
        if (!r) continue;
        r.count.textContent = `${zh.int(s.compounds)} 个 · ${zh.int(s.households)} 户`;
        r.share.textContent = `${zh.num1((s.compounds / denominator) * 100)}%`;
        r.row.dataset.compounds = String(s.compounds);
        r.row.dataset.households = String(s.households);
      }
      totalCount.textContent = `${zh.int(stats.total.compounds)} 个 · ${zh.int(stats.total.households)} 户`;
      total.dataset.compounds = String(stats.total.compounds);
      total.dataset.households = String(stats.total.households);
    },
    setError(message) {
      error.textContent = `统计数据加载失败：${message}`;
      error.hidden = false;
      for (const r of rows.values()) r.count.textContent = '—';
      totalCount.textContent = '—';
    },
  };
}

// The shared style palette (tiles/styles.json), imported at build time so the legend and the map
// styles can never disagree, and the server renderer reads the very same file.
import raw from '../../../tiles/styles.json';

export interface StatusStyle {
  code: string;
  label: string;
  fill: string;
  stroke: string;
}

export interface CodeLabel {
  code: string;
  label: string;
}

export interface PipeLevelStyle extends CodeLabel {
  color: string;
  minZoom: number;
}

export interface PipeFlowStyle extends CodeLabel {
  dash: number[];
  /** Below this zoom the flow is not drawn (return pipes run beside their supply twins). */
  minZoom: number;
}

export interface PointSymbol {
  label: string;
  shape: 'circle' | 'square' | 'triangle' | 'cross';
  fill: string;
  stroke: string;
  radius: number;
  minZoom?: number;
  labelMinZoom?: number;
}

export interface ValveStyle extends PointSymbol {
  code: 'open' | 'closed' | 'inoperable';
}

export interface Palette {
  fontFamily: string;
  retrofitStatus: StatusStyle[];
  compound: {
    fillOpacity: number;
    strokeWidth: number;
    dispute: { label: string; stroke: string; width: number };
    selected: { stroke: string; width: number };
  };
  heatingSystem: CodeLabel[];
  pipeLevel: PipeLevelStyle[];
  pipeFlow: PipeFlowStyle[];
  pipeStatus: (CodeLabel & { opacity: number })[];
  pipeWidth: { byDn: { maxDn: number; width: number }[] };
  valve: { minZoom: number; states: ValveStyle[] };
  station: PointSymbol;
  heatSource: PointSymbol;
  staff: PointSymbol;
  basemap: {
    background: string;
    district: { fill: string; stroke: string; width: number; labelColor: string; labelMaxZoom: number };
    branch: { stroke: string; width: number; dash: number[]; labelColor: string; labelMaxZoom: number };
    road: { casing: string; fill: string; width: number; casingWidth: number; labelColor: string; labelMinZoom: number };
    cell: { stroke: string; width: number; dash: number[]; labelColor: string; labelMinZoom: number };
  };
}

export const palette = raw as unknown as Palette;

const statusByCode = new Map(palette.retrofitStatus.map((s) => [s.code, s]));
const levelByCode = new Map(palette.pipeLevel.map((l) => [l.code, l]));
const flowByCode = new Map(palette.pipeFlow.map((f) => [f.code, f]));

/** Unknown codes fall back to the first (未启动) style rather than vanishing from the map. */
export function statusStyle(code: string | undefined): StatusStyle {
  return (code && statusByCode.get(code)) || palette.retrofitStatus[0];
}

export function pipeLevelStyle(code: string | undefined): PipeLevelStyle {
  return (code && levelByCode.get(code)) || palette.pipeLevel[1];
}

export function pipeFlowStyle(code: string | undefined): PipeFlowStyle {
  return (code && flowByCode.get(code)) || palette.pipeFlow[0];
}

/** Width (px) of a pipe of nominal diameter dn (mm): first row whose maxDn ≥ dn; the widest row beyond the table. */
export function pipeWidth(dn: number): number {
  const rows = palette.pipeWidth.byDn;
  for (const row of rows) if (dn <= row.maxDn) return row.width;
  return rows[rows.length - 1].width;
}

export function valveCategory(state: string | undefined, operable: boolean | undefined): ValveStyle['code'] {
  if (operable === false) return 'inoperable';
  return state === 'closed' ? 'closed' : 'open';
}

export function valveStyle(code: ValveStyle['code']): ValveStyle {
  return palette.valve.states.find((v) => v.code === code) ?? palette.valve.states[0];
}

export function labelOf(list: CodeLabel[], code: string | null | undefined): string {
  if (code == null) return '—';
  return list.find((x) => x.code === code)?.label ?? code;
}

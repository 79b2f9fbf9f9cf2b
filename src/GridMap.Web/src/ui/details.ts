// The details panel: what the user clicked, as labelled zh fields. Compounds and pipes are fetched
// from the API (the tiles carry only what the map draws); point features show their tile attributes.
import type { CompoundDetails, PipeDetails } from '../api/types';
import { zh } from '../labels';
import { palette, statusStyle } from '../palette';
import { h } from './dom';
import { campaignSection } from './campaign';
import { historySection } from './history';

export type Field = [label: string, value: Node | string];

export interface DetailsPanel {
  element: HTMLElement;
  loading(kind: string): void;
  show(kind: string, title: string, fields: Field[]): void;
  error(kind: string, message: string): void;
  /** Adds the entity's change history (who, when, what changed) under the fields shown. */
  history(entity: string, id: string, signal?: AbortSignal): void;
  /** Adds the compound's campaign: stage, both consents, blocked units, 五化 checklist, disputes, follow-ups, stage history. */
  campaign(compoundId: number, signal?: AbortSignal): void;
  close(): void;
  onClose(handler: () => void): void;
}

export function createDetailsPanel(): DetailsPanel {
  const kindEl = h('div', { class: 'details-kind' });
  const titleEl = h('h2', { class: 'details-title', 'data-testid': 'details-title' });
  const body = h('div', { class: 'details-body' });
  const closeHandlers: (() => void)[] = [];
  const closeBtn = h('button', { class: 'details-close', type: 'button', title: '关闭', 'aria-label': '关闭详情' }, '×');
  const element = h(
    'aside',
    { class: 'panel details', 'data-testid': 'details-panel', 'aria-live': 'polite', hidden: true },
    h('header', { class: 'details-header' }, h('div', {}, kindEl, titleEl), closeBtn),
    body,
  );
  const close = () => {
    element.hidden = true;
    element.dataset.state = 'closed';
    closeHandlers.forEach((f) => f());
  };
  closeBtn.addEventListener('click', close);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !element.hidden) close();
  });

  const open = (kind: string, state: string) => {
    element.hidden = false;
    element.dataset.state = state;
    kindEl.textContent = kind;
  };
  return {
    element,
    loading(kind) {
      open(kind, 'loading');
      titleEl.textContent = '加载中…';
      body.replaceChildren(h('p', { class: 'hint' }, '正在读取详情…'));
    },
    show(kind, title, fields) {
      open(kind, 'loaded');
      titleEl.textContent = title;
      const dl = h('dl', { class: 'fields' });
      for (const [label, value] of fields) dl.append(h('dt', {}, label), h('dd', {}, value));
      body.replaceChildren(dl);
    },
    error(kind, message) {
      open(kind, 'error');
      titleEl.textContent = '无法加载详情';
      body.replaceChildren(h('p', { class: 'legend-error', role: 'alert' }, message));
    },
    history(entity, id, signal) {
      body.append(historySection(entity, id, '变更记录', signal));
    },
    campaign(compoundId, signal) {
      body.append(campaignSection(compoundId, signal));
    },
    close,
    onClose: (f) => closeHandlers.push(f),
  };
}

function statusChip(code: string, label: string | null): HTMLElement {
  const s = statusStyle(code);
  return h('span', { class: 'chip', style: `background:${s.fill};border-color:${s.stroke}` }, label ?? s.label);
}

function phoneLink(phone: string | null): Node | string {
  return phone ? h('a', { href: `tel:${phone.replace(/\s/g, '')}` }, phone) : '—';
}

export function compoundFields(c: CompoundDetails): Field[] {
  const place = [c.district_name, c.street_name, c.community_name].filter(Boolean).join(' · ');
  const dispute: Node | string = c.dispute
    ? h('span', { class: 'dispute' }, `是${c.dispute_notes ? `：${c.dispute_notes}` : ''}`)
    : '否';
  return [
    ['小区名称', c.name],
    ['地址', zh.text(c.address)],
    ['所属区域', place || '—'],
    ['户数', zh.int(c.households)],
    ['楼栋数', zh.int(c.buildings)],
    ['供热面积', c.heated_area_m2 == null ? '—' : `${zh.int(c.heated_area_m2)} m²`],
    ['建成年代', c.built_year ? `${c.built_year} 年` : '—'],
    ['供热方式', zh.heatingSystem(c.heating_system)],
    ['改造状态', statusChip(c.retrofit_status, c.retrofit_status_label)],
    ['同意率', zh.percent(c.consent_rate)],
    ['纠纷', dispute],
    ['物业', c.property_management ? '有物业' : '无物业'],
    ['缴费', zh.fee(c.fee_status)],
    ['二次网改造', c.secondary_retrofit_year ? `${c.secondary_retrofit_year} 年` : '—'],
    ['换热站', zh.text(c.station_name ?? (c.station_id != null ? `#${c.station_id}` : null))],
    ['网格', c.cell_code ? `${c.cell_name ? `${c.cell_name} ` : ''}(${c.cell_code})` : '—'],
    ['网格员', zh.text(c.staff_name)],
    ['网格员电话', phoneLink(c.staff_phone)],
    ...(c.follow_up_visits != null ? ([['回访次数', zh.int(c.follow_up_visits)]] as Field[]) : []),
    ['编号', String(c.id)],
  ];
}

export function pipeFields(p: PipeDetails): Field[] {
  return [
    ['管网级别', zh.pipeLevel(p.level)],
    ['供/回水', zh.pipeFlow(p.flow)],
    ['管径', `DN${p.dn}`],
    ['材质', zh.material(p.material)],
    ['敷设年份', p.install_year ? `${p.install_year} 年` : '—'],
    ['埋深', p.depth_m == null ? '—' : `${zh.num1(p.depth_m)} m`],
    ['运行状态', zh.pipeStatus(p.status)],
    ['所属换热站', zh.text(p.station_name ?? (p.station_id != null ? `#${p.station_id}` : null))],
    ['管段长度', p.length_m == null ? '—' : `${zh.num1(p.length_m)} m`],
    ...(p.valves ? ([['阀门数', zh.int(p.valves.length)]] as Field[]) : []),
    ['编号', String(p.id)],
  ];
}

/** Title for a pipe: 一次网供水管 DN500. */
export function pipeTitle(p: Pick<PipeDetails, 'level' | 'flow' | 'dn'>): string {
  return `${zh.pipeLevel(p.level)}${zh.pipeFlow(p.flow)}管 DN${p.dn}`;
}

export function stationFields(props: Record<string, unknown>): Field[] {
  return [
    ['名称', zh.text(props.name as string)],
    ['供热能力', props.capacity_kw == null ? '—' : `${zh.int(Number(props.capacity_kw))} kW`],
    ['服务户数', zh.int(Number(props.households_served))],
    ['编号', zh.text(props.id as number)],
  ];
}

export function heatSourceFields(props: Record<string, unknown>): Field[] {
  return [
    ['名称', zh.text(props.name as string)],
    ['供热能力', props.capacity_mw == null ? '—' : `${zh.num1(Number(props.capacity_mw))} MW`],
    ['编号', zh.text(props.id as number)],
  ];
}

export function valveFields(props: Record<string, unknown>): Field[] {
  const operable = props.operable === true || props.operable === 'true';
  return [
    ['阀门状态', zh.valveState(props.state as string)],
    ['可操作', operable ? '可操作' : h('span', { class: 'dispute' }, '无法操作')],
    ['管网级别', zh.pipeLevel(props.level as string)],
    ['口径', props.dn ? `DN${props.dn}` : '—'],
    ['所在管段', zh.text(props.pipe_id as number)],
    ['编号', zh.text(props.id as number)],
  ];
}

export function staffFields(props: Record<string, unknown>): Field[] {
  return [
    ['姓名', zh.text(props.name as string)],
    ['岗位', zh.staffRole(props.role as string)],
    ['编号', zh.text(props.id as number)],
  ];
}

export const kindLabel = {
  compound: '小区',
  pipe: '管段',
  station: palette.station.label,
  heatSource: palette.heatSource.label,
  valve: '阀门',
  staff: palette.staff.label,
};

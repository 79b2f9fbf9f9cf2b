// The change history of an entity (GET /api/history), for people: who (name and role), when (Beijing time), what they
// did (the use case in Chinese) and what changed (each attribute before → after; a polygon by its area, so a moved
// boundary reads as "面积 1.20 → 1.35 公顷"). Used by the map's details panel and the planner.
import { mapApi } from '../api/mapApi';
import { humanMessage, isAbort } from '../api/problem';
import type { HistoryEntry } from '../api/types';
import { h } from './dom';

const actionNames: Record<string, string> = {
  'planning.partition': '划分网格（生成预览）',
  'planning.move-compound': '移动小区',
  'planning.lock-cell': '锁定网格',
  'planning.unlock-cell': '解锁网格',
  'planning.redraw-edge': '调整网格边界',
  'planning.assign-staff': '指定网格员',
  'planning.unassign-staff': '取消网格员',
  'planning.auto-assign-staff': '自动分配网格员',
  'planning.publish': '发布方案',
  'planning.restore-version': '恢复历史版本',
};

const roleNames: Record<string, string> = { admin: '管理员', manager: '经理', planner: '规划员', staff: '网格员', crew: '抢修班组', system: '系统' };

const fieldNames: Record<string, string> = {
  cell: '网格序号', cellCode: '网格编号', code: '编号', name: '名称', locked: '锁定', staffId: '网格员编号', staffName: '网格员',
  status: '状态', version: '版本', area: '范围', contiguous: '连通', revision: '修订号', plan: '方案', superseded: '取代方案',
  supersededBy: '被取代于方案', restoredFrom: '恢复自方案', restoredAs: '恢复为方案', areaKey: '区域', cells: '网格数', footprint: '占地',
};

const statusNames: Record<string, string> = { preview: '预览', published: '已发布', superseded: '已被取代' };

/** "2026-12-04 18:40" in Beijing time. */
export function beijingTime(iso: string): string {
  const d = new Date(iso);
  const t = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

export const actionName = (a: string): string => actionNames[a] ?? a;
export const roleName = (r: string): string => roleNames[r] ?? r;

type Json = unknown;
const isGeometry = (v: Json): v is { sha256: string; areaM2: number } => typeof v === 'object' && v !== null && 'sha256' in v;

function show(key: string, v: Json): string {
  if (v === null || v === undefined) return '无';
  if (isGeometry(v)) return v.areaM2 >= 10_000 ? `${(v.areaM2 / 10_000).toFixed(2)} 公顷` : `${Math.round(v.areaM2)} m²`;
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (key === 'status' && typeof v === 'string') return statusNames[v] ?? v;
  if (Array.isArray(v)) return v.length ? v.map((x) => `#${String(x)}`).join('、') : '无';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** What changed, attribute by attribute ("锁定：否 → 是"); a created or removed entity lists its values once. */
export function describeChange(e: Pick<HistoryEntry, 'before' | 'after'>): string[] {
  const before = (e.before ?? null) as Record<string, Json> | null;
  const after = (e.after ?? null) as Record<string, Json> | null;
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const lines: string[] = [];
  for (const k of keys) {
    const b = before?.[k];
    const a = after?.[k];
    const same = isGeometry(b) && isGeometry(a) ? b.sha256 === a.sha256 : JSON.stringify(b) === JSON.stringify(a);
    if (same || k === 'revision') continue;
    const label = fieldNames[k] ?? k;
    if (before === null) lines.push(`${label}：${show(k, a)}`);
    else if (after === null) lines.push(`${label}：${show(k, b)}（已删除）`);
    else lines.push(`${label}：${show(k, b)} → ${show(k, a)}`);
  }
  return lines;
}

/** What an entry is about, for a list of several entities' changes: 「网格 410105001001002」, 「小区 #12」, 「方案 #7」. */
export function entityLabel(e: Pick<HistoryEntry, 'entity' | 'entityId' | 'before' | 'after'>): string {
  const code = ((e.after ?? e.before ?? {}) as Record<string, unknown>).code;
  if (e.entity === 'cell') return `网格 ${typeof code === 'string' ? code : e.entityId}`;
  if (e.entity === 'compound') return `小区 #${e.entityId}`;
  if (e.entity === 'plan') return `方案 #${e.entityId}`;
  return `${e.entity} #${e.entityId}`;
}

/** One entry as a list item. */
export function historyItem(e: HistoryEntry): HTMLElement {
  const lines = describeChange(e);
  const unconditional = e.revision != null && e.ifMatch == null;
  return h('li', { 'data-testid': 'history-entry', 'data-action': e.action },
    h('div', { class: 'history-head' }, h('time', { datetime: e.at }, beijingTime(e.at)), ' · ', h('b', {}, e.user), `（${roleName(e.role)}）`, ' · ', actionName(e.action)),
    ...lines.map((l) => h('div', { class: 'history-change' }, l)),
    e.areaChangeM2 != null && e.areaChangeM2 !== 0 ? h('div', { class: 'history-change' }, `面积变化 ${e.areaChangeM2 > 0 ? '+' : ''}${Math.round(e.areaChangeM2)} m²`) : null,
    unconditional ? h('div', { class: 'history-note', title: '提交时未校验版本（If-Match），按最后写入为准' }, '未校验版本，直接覆盖') : null,
  );
}

/**
 * A "变更记录" section that loads the history of `entity` `id` (newest first) into itself; `title` names what it is the
 * history of. The section is returned at once and fills when the answer comes.
 */
export function historySection(entity: string, id: string, title = '变更记录', signal?: AbortSignal): HTMLElement {
  const list = h('ol', { class: 'history-list' });
  const status = h('p', { class: 'hint' }, '正在读取变更记录…');
  const section = h('section', { class: 'history', 'data-testid': 'history', 'data-entity': entity, 'data-id': id, 'data-state': 'loading' },
    h('h3', {}, title), status, list);
  mapApi.history(entity, id, 20, signal).then((page) => {
    list.replaceChildren(...page.items.map(historyItem));
    status.textContent = page.items.length ? '' : '暂无变更记录';
    status.hidden = page.items.length > 0;
    section.dataset.state = 'loaded';
  }, (e: unknown) => {
    if (isAbort(e)) return;
    status.textContent = `无法读取变更记录：${humanMessage(e)}`;
    section.dataset.state = 'error';
  });
  return section;
}

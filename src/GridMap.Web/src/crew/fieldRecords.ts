// 现场记录 — what a crew finds at a valve goes back to the server, so every later isolation plan, for every user,
// uses it (a seized valve is passed, a valve found closed bounds, "repaired" restores). Without network the record
// waits in a queue on the phone (localStorage: small records, kept across reloads), is sent in order when the
// network returns, and a record the server refuses (valve gone, not this crew's branch) is shown, never dropped.
import { call, client } from '../api/client';
import { ApiError, humanMessage } from '../api/problem';
import { h } from '../ui/dom';
import type { CrewContext } from './context';

export type ValveCondition = 'seized' | 'broken' | 'buried' | 'found_closed' | 'found_open' | 'repaired';

export const CONDITIONS: [ValveCondition, string][] = [
  ['seized', '卡死，关不动'],
  ['broken', '损坏'],
  ['buried', '被埋/找不到'],
  ['found_closed', '发现已关闭'],
  ['found_open', '发现是开着的'],
  ['repaired', '已修复'],
];

export const conditionLabel = (c: string): string => CONDITIONS.find(([k]) => k === c)?.[1] ?? c;
const inoperable = (c: ValveCondition) => c === 'seized' || c === 'broken' || c === 'buried';

export interface QueuedRecord {
  key: string;
  valve: number;
  condition: ValveCondition;
  note: string;
  lon?: number;
  lat?: number;
  accuracyM?: number;
  /** When the crew recorded it (ISO time). */
  at: string;
  /** Why the server refused it (shown until the crew discards it). */
  error?: string;
}

export const QUEUE_KEY = 'gridmap.crew.fieldQueue';

function load(): QueuedRecord[] {
  try {
    const q = JSON.parse(localStorage.getItem(QUEUE_KEY) ?? '[]') as unknown;
    return Array.isArray(q) ? (q as QueuedRecord[]) : [];
  } catch {
    return [];
  }
}
const save = (q: QueuedRecord[]) => localStorage.setItem(QUEUE_KEY, JSON.stringify(q));

const post = (r: QueuedRecord) =>
  call(
    'ReportValve',
    client.POST('/api/network/valves/{id}/reports', {
      params: { path: { id: r.valve } },
      body: { condition: r.condition, note: r.note, lon: r.lon ?? null, lat: r.lat ?? null, accuracyM: r.accuracyM ?? null },
    }),
  );

export interface FieldRecords {
  /** Opens the record form for a valve (under `anchor`, else under the plan). */
  open(valve: number, anchor?: Element): void;
  /** Sends the queue in order (on reconnect, and when the view opens online). */
  flush(): Promise<void>;
  /** Queue status and refused records, for the sheet. */
  statusEl: HTMLElement;
}

/** `replan` is called after a record reached the server (or was queued) so the plan shown uses it. */
export function fieldRecords(ctx: CrewContext, replan: () => void): FieldRecords {
  const statusEl = h('div', { class: 'crew-records', 'data-testid': 'crew-records' });
  let flushing = false;

  const render = () => {
    const q = load();
    const waiting = q.filter((r) => !r.error);
    const refused = q.filter((r) => r.error);
    statusEl.dataset.queued = String(waiting.length);
    statusEl.dataset.refused = String(refused.length);
    statusEl.hidden = q.length === 0;
    statusEl.replaceChildren(
      waiting.length ? h('p', { class: 'crew-records-waiting', 'data-testid': 'crew-records-queued' }, `现场记录待同步 ${waiting.length} 条（联网后自动发送）`) : '',
      ...refused.map((r) =>
        h(
          'p',
          { class: 'crew-records-refused', 'data-testid': `crew-record-refused-${r.valve}` },
          `阀门 #${r.valve}「${conditionLabel(r.condition)}」未能同步：${r.error} `,
          h('button', { type: 'button', onclick: () => { save(load().filter((x) => x.key !== r.key)); render(); } }, '放弃'),
        ),
      ),
    );
  };

  const flush = async () => {
    if (flushing) return;
    flushing = true;
    let sent = 0;
    try {
      for (const r of load()) {
        if (r.error) continue;
        try {
          await post(r);
          save(load().filter((x) => x.key !== r.key));
          sent++;
        } catch (e) {
          if (e instanceof ApiError && e.isTransport) break; // still offline: keep the rest, in order
          save(load().map((x) => (x.key === r.key ? { ...x, error: humanMessage(e) } : x)));
        }
      }
    } finally {
      flushing = false;
      render();
    }
    if (sent > 0) {
      // The server now holds these records: plans use them without the local marks.
      ctx.state.broken.clear();
      replan();
    }
  };

  const open = (valve: number, anchor?: Element) => {
    const fix = ctx.state.fix;
    const radios = CONDITIONS.map(([value, label], i) =>
      h('label', { class: 'crew-record-choice' }, h('input', { type: 'radio', name: 'condition', value, required: true, checked: i === 0 }), label),
    );
    const note = h('textarea', { name: 'note', rows: '2', maxlength: '2000', placeholder: '说明（可选）：例如 阀杆锈死、井盖被压' });
    const error = h('p', { class: 'crew-error', hidden: true, role: 'alert' });
    const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'crew-record-submit' }, '提交记录');
    const cancel = h('button', { type: 'button', value: 'cancel' }, '取消');
    const form = h(
      'form',
      { class: 'crew-record-form' },
      h('h3', {}, `阀门 #${valve} 现场记录`),
      h('fieldset', {}, h('legend', {}, '现场情况'), ...radios),
      note,
      h('p', { class: 'muted' }, fix ? `位置：${fix.lon.toFixed(6)}, ${fix.lat.toFixed(6)}（精度 ${Math.round(fix.accuracy)} 米）` : '位置：暂无定位（记录仍可提交）'),
      error,
      h('div', { class: 'crew-buttons' }, cancel, submit),
    );
    // In the page's flow under the valve (not a modal: a phone's zoomed layout viewport would place it off screen).
    document.querySelector('.crew-record')?.remove();
    const panel = h('div', { class: 'crew-record', 'data-testid': 'crew-record-form', role: 'group', 'aria-label': `阀门 #${valve} 现场记录` }, form);
    const close = () => panel.remove();
    (anchor ?? ctx.sheet.planBox).after(panel);
    panel.scrollIntoView({ block: 'nearest' });
    cancel.addEventListener('click', close);
    form.addEventListener('submit', (evt) => {
      evt.preventDefault();
      const condition = (form.querySelector('input[name=condition]:checked') as HTMLInputElement | null)?.value as ValveCondition | undefined;
      if (!condition) return;
      const record: QueuedRecord = {
        key: `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
        valve,
        condition,
        note: note.value.trim(),
        ...(fix ? { lon: fix.lon, lat: fix.lat, accuracyM: Math.round(fix.accuracy * 10) / 10 } : {}),
        at: new Date().toISOString(),
      };
      submit.disabled = true;
      void (async () => {
        try {
          await post(record);
          close();
          ctx.state.broken.delete(valve);
          replan();
        } catch (e) {
          if (e instanceof ApiError && e.isTransport) {
            save([...load(), record]);
            // Until it is sent, this phone's plans treat the valve as the record says.
            if (inoperable(condition)) ctx.state.broken.add(valve);
            close();
            render();
            replan();
            return;
          }
          error.hidden = false;
          error.textContent = `未能提交：${humanMessage(e)}`;
          submit.disabled = false;
        }
      })();
    });
  };

  const onOnline = () => void flush();
  window.addEventListener('online', onOnline);
  ctx.onDispose(() => window.removeEventListener('online', onOnline));
  render();
  return { open, flush, statusEl };
}

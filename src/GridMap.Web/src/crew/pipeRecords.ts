// 管段现场记录 — what a crew measures at a pipe: where it really lies (offset from the drawn line, which side), its
// depth, a valve the map lacks, a DN that is wrong; with the phone's position and accuracy, a note and a photo.
// Online it goes to the server at once; without network it waits on the phone (the record in localStorage, the photo
// in IndexedDB: a camera photo is too big for localStorage) and is sent, in order, when the network returns. What would
// change the network (offset, missing valve, wrong DN) shows "待审核" until a supervisor reviews it (reviews.ts).
import { call, client, type Body } from '../api/client';
import { ApiError, humanMessage, parseProblem, transportError } from '../api/problem';
import { zh } from '../labels';
import { h } from '../ui/dom';
import type { CrewContext } from './context';
import { offlineStore } from './offline';
import { toLonLat } from 'ol/proj';

export type PipeReport = Body<'ReportPipe'>;
export type PipeKind = 'offset' | 'depth' | 'missing_valve' | 'wrong_dn';

export const PIPE_KINDS: [PipeKind, string][] = [
  ['offset', '实际位置偏移'],
  ['depth', '实测埋深'],
  ['missing_valve', '发现图上没有的阀门'],
  ['wrong_dn', '管径（DN）不对'],
];
export const pipeKindLabel = (k: string): string => (k === 'geometry' ? '实测走向' : PIPE_KINDS.find(([x]) => x === k)?.[1] ?? k);

const STATUS: Record<string, string> = { recorded: '已记录', pending: '待审核', accepted: '已批准', rejected: '已驳回' };
export const statusLabel = (s: string): string => STATUS[s] ?? s;

/** What the record says, in a few words ("向左偏 2.5 米", "埋深 1.2 米", "实测 DN150"). */
export function pipeReportWhat(r: { kind: string; offset_m?: number | null; side?: string | null; depth_m?: number | null; found_dn?: number | null; valve_lon?: number | null; valve_lat?: number | null }): string {
  switch (r.kind) {
    case 'offset':
      return `${r.side === 'left' ? '向左' : '向右'}偏 ${zh.num1(r.offset_m ?? 0)} 米`;
    case 'depth':
      return `埋深 ${zh.num1(r.depth_m ?? 0)} 米`;
    case 'wrong_dn':
      return `实测 DN${r.found_dn}`;
    case 'missing_valve':
      return `阀门位置 ${(r.valve_lon ?? 0).toFixed(6)}, ${(r.valve_lat ?? 0).toFixed(6)}`;
    default:
      return pipeKindLabel(r.kind);
  }
}

/** The body of POST /api/network/pipes/{id}/reports. */
export interface PipeRecordBody {
  kind: PipeKind;
  note: string;
  depthM?: number;
  foundDn?: number;
  offsetM?: number;
  side?: 'left' | 'right';
  valveLon?: number;
  valveLat?: number;
  lon?: number;
  lat?: number;
  accuracyM?: number;
}

export interface QueuedPipeRecord {
  key: string;
  pipe: number;
  body: PipeRecordBody;
  /** A photo waits in IndexedDB under `photo:<key>`. */
  photo?: { type: string; bytes: number };
  /** Set once the record reached the server and only its photo is left to send. */
  reportId?: number;
  at: string;
  /** Why the server refused it (shown until the crew discards it). */
  error?: string;
}

export const PIPE_QUEUE_KEY = 'gridmap.crew.pipeQueue';

function load(): QueuedPipeRecord[] {
  try {
    const q = JSON.parse(localStorage.getItem(PIPE_QUEUE_KEY) ?? '[]') as unknown;
    return Array.isArray(q) ? (q as QueuedPipeRecord[]) : [];
  } catch {
    return [];
  }
}
const save = (q: QueuedPipeRecord[]) => localStorage.setItem(PIPE_QUEUE_KEY, JSON.stringify(q));
const update = (key: string, change: Partial<QueuedPipeRecord>) => save(load().map((x) => (x.key === key ? { ...x, ...change } : x)));

const postRecord = (pipe: number, body: PipeRecordBody) =>
  call('ReportPipe', client.POST('/api/network/pipes/{id}/reports', { params: { path: { id: pipe } }, body: { ...body } as never }));

/** Sends a photo as the request body (the image itself, not JSON). */
async function postPhoto(pipe: number, report: number, photo: Blob): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`/api/network/pipes/${pipe}/reports/${report}/photo`, { method: 'POST', body: photo, headers: { 'Content-Type': photo.type || 'image/jpeg', Accept: 'application/json' }, credentials: 'same-origin' });
  } catch (e) {
    throw transportError(e);
  }
  if (!res.ok) throw parseProblem(res.status, await res.json().catch(() => undefined), '上传照片');
}

/**
 * A camera photo made small enough to send over a weak signal (longest side ≤ 1600 px, JPEG); a small JPEG, PNG or
 * WebP is kept as it is. Falls back to the original when the browser cannot decode it.
 */
export async function shrinkPhoto(file: Blob): Promise<Blob> {
  const kept = ['image/jpeg', 'image/png', 'image/webp'];
  if (kept.includes(file.type) && file.size <= 600 * 1024) return file;
  try {
    const bmp = await createImageBitmap(file);
    const scale = Math.min(1, 1600 / Math.max(bmp.width, bmp.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bmp.width * scale));
    canvas.height = Math.max(1, Math.round(bmp.height * scale));
    canvas.getContext('2d')!.drawImage(bmp, 0, 0, canvas.width, canvas.height);
    bmp.close();
    const out = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    return out ?? file;
  } catch {
    return file;
  }
}

export interface PipeRecords {
  /** Opens the record form of a pipe (under `anchor`, else above the plan). */
  open(pipe: number, anchor?: Element): void;
  /** Sends the queue in order (on reconnect, and when the view opens online). */
  flush(): Promise<void>;
  /** Queue status, refused records and the records sent from this page with their review status. */
  statusEl: HTMLElement;
}

export function pipeRecords(ctx: CrewContext): PipeRecords {
  const statusEl = h('div', { class: 'crew-records', 'data-testid': 'crew-pipe-records' });
  /** Records this page sent (or saw synced), newest first: their review status is shown. */
  const sent: PipeReport[] = [];
  let flushing = false;

  const render = () => {
    const q = load();
    const waiting = q.filter((r) => !r.error);
    const refused = q.filter((r) => r.error);
    statusEl.dataset.queued = String(waiting.length);
    statusEl.dataset.refused = String(refused.length);
    statusEl.hidden = q.length === 0 && sent.length === 0;
    statusEl.replaceChildren(
      waiting.length
        ? h('p', { class: 'crew-records-waiting', 'data-testid': 'crew-pipe-records-queued' }, `管段记录待同步 ${waiting.length} 条${waiting.some((r) => r.photo) ? '（含照片）' : ''}（联网后自动发送）`)
        : '',
      ...refused.map((r) =>
        h(
          'p',
          { class: 'crew-records-refused', 'data-testid': `crew-pipe-record-refused-${r.pipe}` },
          `管段 #${r.pipe}「${pipeKindLabel(r.body.kind)}」${r.reportId ? '的照片' : ''}未能同步：${r.error} `,
          h('button', { type: 'button', onclick: () => { save(load().filter((x) => x.key !== r.key)); void offlineStore.deletePhoto(r.key); render(); } }, '放弃'),
        ),
      ),
      ...sent.slice(0, 5).map((r) =>
        h(
          'p',
          { class: `crew-records-sent status-${r.status}`, 'data-testid': `crew-pipe-record-sent-${r.pipe}`, 'data-status': r.status },
          `管段 #${r.pipe}「${pipeKindLabel(r.kind)}：${pipeReportWhat(r)}」已提交 · `,
          h('b', {}, statusLabel(r.status)),
          r.status === 'pending' ? '（主管审核通过后才会改动管网）' : '',
          r.photo_url ? ' · 含照片' : '',
        ),
      ),
    );
  };

  const remember = (r: PipeReport) => {
    const i = sent.findIndex((x) => x.id === r.id);
    if (i >= 0) sent.splice(i, 1);
    sent.unshift(r);
  };

  /** Sends one queued record (and its photo); true when all of it reached the server. */
  const send = async (r: QueuedPipeRecord): Promise<void> => {
    let reportId = r.reportId;
    if (reportId === undefined) {
      const report = await postRecord(r.pipe, r.body);
      reportId = report.id;
      remember(report);
      if (r.photo) update(r.key, { reportId }); // the photo is left: never file the record twice
    }
    if (r.photo) {
      const blob = await offlineStore.photo(r.key);
      if (blob) await postPhoto(r.pipe, reportId, blob);
      await offlineStore.deletePhoto(r.key);
      const head = sent.find((x) => x.id === reportId);
      if (head) head.photo_url = `/api/network/pipes/${r.pipe}/reports/${reportId}/photo`;
    }
    save(load().filter((x) => x.key !== r.key));
  };

  const flush = async () => {
    if (flushing) return;
    flushing = true;
    try {
      for (const r of load()) {
        if (r.error) continue;
        try {
          await send(r);
        } catch (e) {
          if (e instanceof ApiError && e.isTransport) break; // still offline: keep the rest, in order
          update(r.key, { error: humanMessage(e) });
        }
      }
    } finally {
      flushing = false;
      render();
    }
  };

  const open = (pipe: number, anchor?: Element) => {
    const fix = ctx.state.fix;
    const kindRadios = PIPE_KINDS.map(([value, label], i) =>
      h('label', { class: 'crew-record-choice' }, h('input', { type: 'radio', name: 'pkind', value, required: true, checked: i === 0 }), label),
    );
    const num = (name: string, attrs: Record<string, string>) =>
      h('input', { type: 'number', name, inputmode: 'decimal', class: 'crew-num-input', 'data-testid': `crew-pipe-${name}`, ...attrs });
    const offsetM = num('offsetM', { min: '0.1', max: '50', step: '0.1', placeholder: '米' });
    const side = h('select', { name: 'side', 'data-testid': 'crew-pipe-side', 'aria-label': '偏向哪一侧' }, h('option', { value: 'left' }, '左侧'), h('option', { value: 'right' }, '右侧'));
    const depthM = num('depthM', { min: '0', max: '10', step: '0.1', placeholder: '米' });
    const foundDn = num('foundDn', { min: '15', max: '1400', step: '1', placeholder: 'DN' });
    const centre = () => toLonLat(ctx.map.getView().getCenter() ?? [0, 0]) as [number, number];
    let valveAt: [number, number] = fix ? [fix.lon, fix.lat] : centre();
    let valveFrom = fix ? '当前位置' : '地图中心';
    const valveText = h('span', { 'data-testid': 'crew-pipe-valve-at' });
    const showValve = () => (valveText.textContent = `${valveFrom}：${valveAt[0].toFixed(6)}, ${valveAt[1].toFixed(6)}`);
    showValve();
    const useCentre = h('button', { type: 'button', onclick: () => { valveAt = centre(); valveFrom = '地图中心'; showValve(); } }, '改用地图中心');
    const fields: Record<PipeKind, HTMLElement> = {
      offset: h('div', { class: 'crew-record-field' }, h('label', {}, '实际管线在图上管线的 ', side, ' ', offsetM, ' 米'), h('small', { class: 'muted' }, '左右按沿管线从起点向终点方向看')),
      depth: h('div', { class: 'crew-record-field' }, h('label', {}, '管顶埋深 ', depthM, ' 米')),
      missing_valve: h('div', { class: 'crew-record-field' }, h('p', {}, '阀门位置（', valveText, '）'), h('div', { class: 'crew-buttons' }, useCentre)),
      wrong_dn: h('div', { class: 'crew-record-field' }, h('label', {}, '现场实测 DN ', foundDn)),
    };
    const photo = h('input', { type: 'file', name: 'photo', accept: 'image/*', capture: 'environment', 'data-testid': 'crew-pipe-photo', class: 'crew-photo-input' });
    const photoNote = h('small', { class: 'muted', 'data-testid': 'crew-pipe-photo-note' }, '未选照片');
    photo.addEventListener('change', () => {
      const f = photo.files?.[0];
      photoNote.textContent = f ? `已选照片 ${f.name}（${Math.max(1, Math.round(f.size / 1024))} KB）` : '未选照片';
    });
    const note = h('textarea', { name: 'note', rows: '2', maxlength: '2000', placeholder: '说明（可选）：例如 探测仪实测、开挖确认' });
    const error = h('p', { class: 'crew-error', hidden: true, role: 'alert', 'data-testid': 'crew-pipe-record-error' });
    const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'crew-pipe-record-submit' }, '提交记录');
    const cancel = h('button', { type: 'button' }, '取消');
    const history = h('div', { class: 'crew-pipe-history', 'data-testid': 'crew-pipe-history' });
    const form = h(
      'form',
      { class: 'crew-record-form' },
      h('h3', {}, `管段 #${pipe} 现场记录`),
      h('fieldset', {}, h('legend', {}, '记录什么'), ...kindRadios),
      ...Object.values(fields),
      // The native file button says "Choose File" in some browsers: a Chinese label of touch size opens it instead.
      h('div', { class: 'crew-photo' }, h('span', {}, '照片（可选）'), h('label', { class: 'crew-photo-btn' }, '拍照或选择照片', photo), photoNote),
      note,
      h('p', { class: 'muted' }, fix ? `记录位置：${fix.lon.toFixed(6)}, ${fix.lat.toFixed(6)}（精度 ${Math.round(fix.accuracy)} 米${fix.manual ? '，手动定位' : ''}）` : '记录位置：暂无定位（记录仍可提交）'),
      error,
      h('div', { class: 'crew-buttons' }, cancel, submit),
      history,
    );
    const kind = () => ((form.querySelector('input[name=pkind]:checked') as HTMLInputElement | null)?.value ?? 'offset') as PipeKind;
    const showFields = () => {
      for (const [k, el] of Object.entries(fields)) el.hidden = k !== kind();
    };
    form.addEventListener('change', showFields);
    showFields();

    document.querySelector('.crew-record')?.remove();
    const panel = h('div', { class: 'crew-record', 'data-testid': 'crew-pipe-record-form', 'data-pipe': pipe, role: 'group', 'aria-label': `管段 #${pipe} 现场记录` }, form);
    const close = () => panel.remove();
    (anchor ?? ctx.sheet.planBox).after(panel);
    panel.scrollIntoView({ block: 'nearest' });
    cancel.addEventListener('click', close);
    void showHistory(pipe, history);

    form.addEventListener('submit', (evt) => {
      evt.preventDefault();
      const k = kind();
      const fail = (text: string) => {
        error.hidden = false;
        error.textContent = text;
      };
      const body: PipeRecordBody = { kind: k, note: note.value.trim(), ...(fix ? { lon: fix.lon, lat: fix.lat, accuracyM: Math.round(fix.accuracy * 10) / 10 } : {}) };
      if (k === 'offset') {
        const v = Number(offsetM.value);
        if (!offsetM.value || !(v > 0 && v <= 50)) return fail('请填写偏移距离：大于 0、不超过 50 米。');
        Object.assign(body, { offsetM: v, side: side.value as 'left' | 'right' });
      } else if (k === 'depth') {
        const v = Number(depthM.value);
        if (!depthM.value || !(v >= 0 && v <= 10)) return fail('请填写埋深：0–10 米。');
        body.depthM = v;
      } else if (k === 'wrong_dn') {
        const v = Number(foundDn.value);
        if (!foundDn.value || !(Number.isInteger(v) && v >= 15 && v <= 1400)) return fail('请填写实测管径：DN15–DN1400 的整数。');
        body.foundDn = v;
      } else {
        Object.assign(body, { valveLon: valveAt[0], valveLat: valveAt[1] });
      }
      submit.disabled = true;
      void (async () => {
        const file = photo.files?.[0];
        const blob = file ? await shrinkPhoto(file) : undefined;
        const record: QueuedPipeRecord = {
          key: `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
          pipe,
          body,
          ...(blob ? { photo: { type: blob.type, bytes: blob.size } } : {}),
          at: new Date().toISOString(),
        };
        // Queued first, so a page closed mid-send loses nothing; send() removes it once the server has all of it.
        try {
          if (blob) await offlineStore.putPhoto(record.key, blob);
        } catch (e) {
          submit.disabled = false;
          return fail(`照片无法保存到手机：${humanMessage(e)}`);
        }
        save([...load(), record]);
        try {
          await send(record);
          close();
          render();
        } catch (e) {
          if (e instanceof ApiError && e.isTransport) {
            close(); // no network: it waits in the queue
            render();
            return;
          }
          if (load().find((x) => x.key === record.key)?.reportId !== undefined) {
            // The record is filed; only its photo was refused: say so in the list (the crew may discard it).
            update(record.key, { error: humanMessage(e) });
            close();
            render();
            return;
          }
          save(load().filter((x) => x.key !== record.key));
          if (record.photo) void offlineStore.deletePhoto(record.key);
          render();
          fail(`未能提交：${humanMessage(e)}`);
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

/** The pipe's records with their review (the history a crew sees at the pipe); queued ones of this phone first. */
async function showHistory(pipe: number, el: HTMLElement): Promise<void> {
  const queued = load().filter((r) => r.pipe === pipe);
  const rows: HTMLElement[] = queued.map((r) =>
    h('li', { 'data-status': r.error ? 'refused' : 'queued' }, `${pipeKindLabel(r.body.kind)}：${pipeReportWhat({ kind: r.body.kind, offset_m: r.body.offsetM, side: r.body.side, depth_m: r.body.depthM, found_dn: r.body.foundDn, valve_lon: r.body.valveLon, valve_lat: r.body.valveLat })} · `, h('b', {}, r.error ? '未能同步' : '待同步')),
  );
  let list: PipeReport[] = [];
  try {
    list = await call('PipeReports', client.GET('/api/network/pipes/{id}/reports', { params: { path: { id: pipe } } }));
  } catch (e) {
    if (!(e instanceof ApiError && e.isTransport)) rows.push(h('li', { class: 'crew-error' }, `记录查询失败：${humanMessage(e)}`));
    else if (!queued.length) rows.push(h('li', { class: 'muted' }, '离线：联网后可查看此管段已有的记录'));
  }
  for (const r of list.slice(0, 10)) {
    rows.push(
      h(
        'li',
        { 'data-status': r.status, 'data-report': r.id },
        `${pipeKindLabel(r.kind)}：${pipeReportWhat(r)} · `,
        h('b', {}, statusLabel(r.status)),
        h('small', {}, ` ${r.reported_by} · ${new Date(r.reported_at).toLocaleString('zh-CN')}`),
        r.review ? h('small', {}, ` · ${r.review.reviewed_by} 审核${r.review.reason ? `：${r.review.reason}` : ''}`) : null,
      ),
    );
  }
  el.replaceChildren(...(rows.length ? [h('h4', {}, '此管段的现场记录'), h('ul', {}, ...rows)] : []));
}

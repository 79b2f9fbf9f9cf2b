// 网格员 — the grid staff's phone view: my cells → compounds → households, today's list (not yet visited, follow-ups
// due, overdue flagged), one tap to record a visit and the household's answer, the compound's two consents and blocked
// units at a glance, photos from the camera. Works offline: what was read is cached in IndexedDB (store.ts), visits
// go to an outbox sent in order on reconnect, each with the If-Match it was made against (sync.ts); a conflict is
// shown and resolved by the user (redo on the current state, or discard), never dropped.
import './staff.css';
import { ApiError, humanMessage } from '../api/problem';
import { session } from '../api/session';
import { cacheAppShell } from '../offline/appShell';
import { h } from '../ui/dom';
import type { View } from '../views/view';
import { ANSWERS, CONSENT_LABEL, HOUSEHOLD_OUTCOMES, OUTCOME_LABEL, pct, stageLabel, type Outcome } from './labels';
import { staffApi, type Answer, type Household, type StaffWork, type WorkCompound } from './staffApi';
import { cache, outbox, type CachedCompound, type QueuedVisit } from './store';
import { discard, redo, syncOutbox } from './sync';

/** Photos larger than this are refused on the phone already (the server has its own limit). */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
/** What the server stores (visit_photo.content_type). */
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const answerText = (q: QueuedVisit): string => (q.body.consent ? CONSENT_LABEL[q.body.consent] : OUTCOME_LABEL[q.body.outcome]);

type Screen = { kind: 'today' } | { kind: 'cells' } | { kind: 'compound'; id: number };

/** Building and unit as the data has them ("1号楼", "2单元" in the demo) or bare numbers ("1", "2"): the suffix once. */
const buildingName = (b: unknown): string => (/(号楼|栋|幢|楼)$/.test(String(b ?? '')) ? String(b) : `${String(b ?? '')}号楼`);
const unitLabel = (u: unknown): string => (/单元$/.test(String(u ?? '')) ? String(u) : `${String(u ?? '')}单元`);
const householdLabel = (x: Household): string => `${buildingName(x.building)} ${unitLabel(x.unit)} ${x.room}`;

async function mount(root: HTMLElement): Promise<() => void> {
  let alive = true;
  let online = navigator.onLine;
  let work: StaffWork | undefined;
  let queue: QueuedVisit[] = [];
  let screen: Screen = { kind: 'today' };
  let current: CachedCompound | undefined;
  let prefetch = '';
  let lastSync: 'none' | 'synced' = 'none';
  /** Units (compound|unit) the user opened or folded, kept across redraws. */
  const openUnits = new Map<string, boolean>();

  const banner = h('div', { class: 'staff-banner', role: 'status', 'aria-live': 'polite', 'data-testid': 'staff-banner' });
  const conflicts = h('div', { class: 'staff-conflicts', 'data-testid': 'staff-conflicts' });
  const tabToday = h('button', { type: 'button', class: 'staff-tab', 'data-testid': 'staff-tab-today' }, '今日任务');
  const tabCells = h('button', { type: 'button', class: 'staff-tab', 'data-testid': 'staff-tab-cells' }, '我的网格');
  const body = h('div', { class: 'staff-body', 'data-testid': 'staff-body' });
  const page = h('div', { class: 'staff', 'data-testid': 'staff', 'data-mode': online ? 'online' : 'offline' }, banner, conflicts, h('nav', { class: 'staff-tabs' }, tabToday, tabCells), body);
  root.replaceChildren(page);
  tabToday.addEventListener('click', () => go({ kind: 'today' }));
  tabCells.addEventListener('click', () => go({ kind: 'cells' }));

  // ── the banner: offline / N queued / syncing / synced, and the conflicts to resolve ──
  const renderBanner = () => {
    const queued = queue.filter((q) => q.state === 'queued').length;
    const problems = queue.filter((q) => q.state !== 'queued').length;
    page.dataset.mode = online ? 'online' : 'offline';
    const state = !online ? 'offline' : problems ? 'conflict' : queued ? 'queued' : lastSync === 'synced' ? 'synced' : 'online';
    banner.dataset.state = state;
    banner.dataset.queued = String(queued);
    const parts = [
      !online ? '离线：记录保存在本机，联网后自动发送' : queued ? '在线：正在发送待发记录' : lastSync === 'synced' ? '在线：全部记录已同步' : '在线',
      queued ? `待发送 ${queued} 条` : '',
      problems ? `需要处理 ${problems} 条` : '',
      prefetch,
    ].filter(Boolean);
    banner.textContent = parts.join(' · ');
    conflicts.replaceChildren(...queue.filter((q) => q.state !== 'queued').map(problemCard));
  };

  const problemCard = (q: QueuedVisit): HTMLElement => {
    const redoBtn = h('button', { type: 'button', class: 'primary', 'data-testid': `staff-redo-${q.id}` }, q.state === 'conflict' ? '按最新状态重新提交' : '重试');
    const dropBtn = h('button', { type: 'button', class: 'danger', 'data-testid': `staff-discard-${q.id}` }, '放弃此记录');
    redoBtn.addEventListener('click', async () => {
      redoBtn.disabled = true;
      let etag = q.currentETag ?? null;
      // Online, read the compound as it is now (its answers and tag) before redoing on it.
      if (online) {
        const fresh = await loadCompound(q.compoundId, true).catch(() => undefined);
        if (fresh) etag = fresh.etag;
      }
      await redo(q, etag);
      await refreshQueue();
      void sync();
    });
    dropBtn.addEventListener('click', async () => {
      if (!confirm(`放弃这条走访记录？（${q.compoundName} ${q.householdLabel}：${answerText(q)}）`)) return;
      await discard(q);
      await refreshQueue();
      render();
    });
    return h(
      'div',
      { class: `staff-problem ${q.state}`, role: 'alert', 'data-testid': `staff-problem-${q.id}`, 'data-state': q.state, 'data-compound': q.compoundId },
      h('strong', {}, q.state === 'conflict' ? '记录冲突' : '记录未被接受'),
      h('p', {}, `${q.compoundName} ${q.householdLabel}：${answerText(q)}（${OUTCOME_LABEL[q.body.outcome]}，记录于 ${new Date(q.madeAt).toLocaleString('zh-CN', { hour12: false })}）`),
      h('p', { class: 'staff-why' }, q.state === 'conflict' ? `小区在您记录后已被${q.changedBy ? ` ${q.changedBy} ` : '他人'}修改。请查看最新状态后重新提交，或放弃。` : (q.error ?? '')),
      h('div', { class: 'staff-row' }, redoBtn, dropBtn),
    );
  };

  const refreshQueue = async () => {
    queue = await outbox.all();
    renderBanner();
  };

  const sync = async () => {
    await refreshQueue();
    if (!online || !queue.some((q) => q.state === 'queued')) return;
    const touched = new Set(queue.filter((q) => q.state === 'queued').map((q) => q.compoundId));
    const r = await syncOutbox(() => void refreshQueue());
    if (!alive) return;
    if (r.offline) setOnline(false);
    else lastSync = 'synced';
    // What the server holds now (answers, rates, the tag the next visit is made against).
    for (const id of touched) await loadCompound(id, true).catch(() => undefined);
    if (online) work = (await staffApi.work().catch(() => undefined)) ?? work;
    if (work) await cache.saveWork(work);
    await refreshQueue();
    render();
  };

  const setOnline = (v: boolean) => {
    online = v;
    renderBanner();
    if (v) void sync();
  };
  const onOnline = () => setOnline(true);
  const onOffline = () => setOnline(false);
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  const timer = setInterval(() => void (online && sync()), 20_000);

  // ── data: online from the API (and cached), offline from the cache ──
  async function loadCompound(id: number, fromServer = online): Promise<CachedCompound | undefined> {
    if (fromServer) {
      try {
        const [c, households] = await Promise.all([staffApi.compound(id), staffApi.households(id)]);
        const entry: CachedCompound = { compound: c.value, etag: c.etag, households, savedAt: new Date().toISOString() };
        await cache.saveCompound(entry);
        if (current?.compound.id === id) current = entry;
        return entry;
      } catch (e) {
        if (!(e instanceof ApiError && e.isTransport)) throw e;
        setOnline(false);
      }
    }
    return cache.compound(id);
  }

  try {
    work = await staffApi.work();
    await cache.saveWork(work);
  } catch (e) {
    if (!(e instanceof ApiError && e.isTransport)) throw e;
    online = false;
    work = await cache.work();
  }
  await refreshQueue();

  // Online: keep the app shell and every compound of my cells for offline use.
  if (online) {
    void cacheAppShell().then((ok) => (page.dataset.shell = ok ? 'cached' : 'none'), () => (page.dataset.shell = 'none'));
    void (async () => {
      const ids = (work?.cells ?? []).flatMap((c) => c.compounds.map((x) => x.id));
      let done = 0;
      for (const id of ids) {
        if (!alive || !online) break;
        if (await loadCompound(id, true).catch(() => undefined)) done++;
        prefetch = `离线数据 ${done}/${ids.length} 个小区`;
        renderBanner();
      }
      page.dataset.prefetched = String(done);
      prefetch = done === ids.length ? `离线数据已保存（${ids.length} 个小区）` : prefetch;
      renderBanner();
    })();
  }

  // ── screens ──
  function go(s: Screen) {
    screen = s;
    void renderAsync();
  }
  function render() {
    void renderAsync();
  }

  async function renderAsync() {
    tabToday.classList.toggle('active', screen.kind === 'today');
    tabCells.classList.toggle('active', screen.kind !== 'today');
    if (!work) {
      body.replaceChildren(h('div', { class: 'fatal', role: 'alert', 'data-testid': 'staff-no-data' }, h('h2', {}, '无网络，且没有离线数据'), h('p', {}, '请在有网络时打开“网格员”页面一次，数据会自动保存到本机。')));
      return;
    }
    if (screen.kind === 'compound') {
      const c = await loadCompound(screen.id).catch((e) => {
        body.replaceChildren(h('p', { class: 'staff-error', role: 'alert' }, humanMessage(e)));
        return undefined;
      });
      if (!c) {
        if (!body.querySelector('.staff-error')) body.replaceChildren(h('p', { class: 'staff-error', role: 'alert', 'data-testid': 'staff-not-cached' }, '此小区没有离线数据，请联网后再打开。'));
        return;
      }
      current = c;
      body.replaceChildren(compoundScreen(c));
      return;
    }
    body.replaceChildren(screen.kind === 'today' ? todayScreen(work) : cellsScreen(work));
  }

  const compoundButton = (c: WorkCompound, extra?: string): HTMLElement =>
    h(
      'button',
      { type: 'button', class: `staff-item${c.followUpOverdue ? ' overdue' : ''}`, 'data-testid': `staff-compound-${c.id}`, 'data-compound': c.id, onclick: () => go({ kind: 'compound', id: c.id }) },
      h('span', { class: 'staff-item-name' }, c.name),
      h('span', { class: 'staff-item-meta' }, `${stageLabel(c.stage)} · ${c.households} 户 · 未走访 ${c.notVisited}${extra ? ` · ${extra}` : ''}`),
      c.followUpOverdue ? h('span', { class: 'staff-flag', 'data-testid': `staff-overdue-${c.id}` }, '回访逾期') : null,
    );

  function todayScreen(w: StaffWork): HTMLElement {
    const all = w.cells.flatMap((c) => c.compounds);
    const today = new Date().toISOString().slice(0, 10);
    const followUps = all.filter((c) => c.followUpOverdue || (c.followUpDue && c.followUpDue <= today)).sort((a, b) => String(a.followUpDue).localeCompare(String(b.followUpDue)));
    const toVisit = all.filter((c) => c.notVisited > 0).sort((a, b) => b.notVisited - a.notVisited);
    return h(
      'section',
      { 'data-testid': 'staff-today' },
      h('h2', {}, `今日任务${w.staffName ? `（${w.staffName}）` : ''}`),
      all.length === 0 ? h('p', { class: 'staff-empty', 'data-testid': 'staff-no-cells' }, '您没有负责的网格。请联系规划员分配网格。') : null,
      h('h3', {}, `待回访（${followUps.length}）`),
      followUps.length ? h('div', { class: 'staff-list', 'data-testid': 'staff-followups' }, ...followUps.map((c) => compoundButton(c, c.followUpDue ? `回访 ${c.followUpDue}` : undefined))) : h('p', { class: 'staff-empty' }, '今天没有到期的回访。'),
      h('h3', {}, `待走访（${toVisit.length} 个小区）`),
      h('div', { class: 'staff-list', 'data-testid': 'staff-to-visit' }, ...toVisit.map((c) => compoundButton(c))),
    );
  }

  function cellsScreen(w: StaffWork): HTMLElement {
    return h(
      'section',
      { 'data-testid': 'staff-cells' },
      h('h2', {}, '我的网格'),
      ...w.cells.map((cell) =>
        h('details', { class: 'staff-cell', open: true, 'data-testid': `staff-cell-${cell.code}` }, h('summary', {}, `${cell.name}（${cell.code}）· ${cell.compounds.length} 个小区`), h('div', { class: 'staff-list' }, ...cell.compounds.map((c) => compoundButton(c)))),
      ),
      w.cells.length === 0 ? h('p', { class: 'staff-empty' }, '您没有负责的网格。') : null,
    );
  }

  function consentPanel(c: CachedCompound): HTMLElement {
    const k = c.compound.consent;
    const blocked = (k?.blockedUnits ?? []) as Record<string, unknown>[];
    const unitName = (u: Record<string, unknown>) => `${buildingName(u.building)}${unitLabel(u.unit)}`;
    const rooms = new Map(c.households.map((x) => [x.id, x.room]));
    // The households of the unit's riser that have neither agreed nor an agreed bypass.
    const blockers = (u: Record<string, unknown>) => ((u.households ?? []) as number[]).map((id) => rooms.get(id) ?? `#${id}`).join('、');
    const bar = (label: string, f: number | undefined, need: number, testId: string) =>
      h(
        'div',
        { class: 'staff-bar', 'data-testid': testId, 'data-value': f ?? '' },
        h('span', { class: 'staff-bar-label' }, label),
        h('span', { class: 'staff-bar-track' }, h('span', { class: `staff-bar-fill${(f ?? 0) >= need ? ' met' : ''}`, style: `width:${Math.min(100, (f ?? 0) * 100)}%` }), h('span', { class: 'staff-bar-need', style: `left:${need * 100}%` })),
        h('span', { class: 'staff-bar-value' }, pct(f)),
      );
    return h(
      'div',
      { class: 'staff-consent', 'data-testid': 'staff-consent' },
      h('h3', {}, '业主表决（共有部分施工）', h('span', { class: `staff-chip ${k?.voteRuleMet ? 'ok' : 'no'}`, 'data-testid': 'staff-vote-rule', 'data-met': String(Boolean(k?.voteRuleMet)) }, k?.voteRuleMet ? '已达到' : '未达到')),
      bar('参与（面积）', k?.participationByArea, 2 / 3, 'staff-participation-area'),
      bar('参与（户数）', k?.participationByCount, 2 / 3, 'staff-participation-count'),
      bar('同意（面积）', k?.agreementByArea, 3 / 4, 'staff-agreement-area'),
      bar('同意（户数）', k?.agreementByCount, 3 / 4, 'staff-agreement-count'),
      h('p', { class: 'staff-legend' }, '竖线为门槛：参与 ≥ 2/3，同意 ≥ 参与者的 3/4（按面积和户数都须达到）。'),
      h('h3', {}, `入户施工同意（同一立管）：受阻单元 ${blocked.length} 个`),
      blocked.length
        ? h('ul', { class: 'staff-blocked', 'data-testid': 'staff-blocked' }, ...blocked.map((u) => h('li', {}, `${unitName(u)}：${blockers(u) || '有住户未同意'}`)))
        : h('p', { class: 'staff-empty', 'data-testid': 'staff-blocked' }, '没有受阻单元。'),
    );
  }

  function compoundScreen(c: CachedCompound): HTMLElement {
    const pending = new Map<number, QueuedVisit>();
    for (const q of queue) if (q.compoundId === c.compound.id && q.body.householdId !== null) pending.set(q.body.householdId, q);
    const byUnit = new Map<string, Household[]>();
    for (const x of c.households) {
      const key = `${buildingName(x.building)} ${unitLabel(x.unit)}`;
      byUnit.set(key, [...(byUnit.get(key) ?? []), x]);
    }
    const row = (x: Household): HTMLElement => {
      const p = pending.get(x.id);
      const shown = p?.body.consent ?? x.consent;
      return h(
        'li',
        { class: 'staff-hh', 'data-testid': `staff-hh-${x.id}`, 'data-household': x.id, 'data-consent': x.consent, 'data-pending': p ? p.state : undefined },
        h('span', { class: 'staff-hh-room' }, x.room, h('small', {}, ` ${x.areaM2.toFixed(1)} m²`)),
        h('span', { class: `staff-consent-chip c-${shown}`, 'data-testid': `staff-hh-consent-${x.id}` }, CONSENT_LABEL[shown] + (p ? (p.state === 'queued' ? '（待发送）' : '（冲突）') : '')),
        h(
          'span',
          { class: 'staff-answers' },
          ...ANSWERS.map((a) =>
            h('button', { type: 'button', class: `staff-answer a-${a.code}`, 'data-testid': `staff-answer-${x.id}-${a.code}`, 'aria-label': `${x.room} ${a.label}`, onclick: () => void record(c, x, a.code, a.outcome, '', []) }, a.label),
          ),
          h('button', { type: 'button', class: 'staff-more', 'data-testid': `staff-more-${x.id}`, 'aria-label': `${x.room} 详细记录`, onclick: () => openForm(c, x) }, '…'),
        ),
      );
    };
    return h(
      'section',
      { class: 'staff-compound', 'data-testid': 'staff-compound', 'data-compound': c.compound.id, 'data-etag': c.etag ?? '' },
      h('button', { type: 'button', class: 'staff-back', 'data-testid': 'staff-back', onclick: () => go({ kind: 'cells' }) }, '‹ 返回'),
      h('h2', {}, c.compound.name, h('span', { class: 'staff-chip stage', 'data-testid': 'staff-stage', 'data-stage': c.compound.stage ?? '' }, stageLabel(c.compound.stage))),
      h('p', { class: 'staff-muted' }, `${c.households.length} 户 · 数据时间 ${new Date(c.savedAt).toLocaleString('zh-CN', { hour12: false })}`),
      consentPanel(c),
      h('button', { type: 'button', class: 'staff-wide', 'data-testid': 'staff-publicity', onclick: () => openForm(c, null) }, '记录宣传活动（整个小区）'),
      h('h3', {}, '住户（点一下记录走访结果）'),
      h('p', { class: 'staff-legend' }, ...ANSWERS.map((a) => h('span', { class: `staff-consent-chip c-${a.code}` }, a.label)), h('span', { class: 'staff-consent-chip c-none' }, '未走访')),
      ...[...byUnit.entries()].map(([unit, list]) => {
        // Small compounds show every unit; larger ones start folded. A unit the user opened stays open when the
        // screen is drawn again (after a tap, a sync), so the next household is one tap away.
        const key = `${c.compound.id}|${unit}`;
        const d = h('details', { class: 'staff-unit', 'data-unit': unit, open: openUnits.get(key) ?? byUnit.size <= 4 }, h('summary', {}, `${unit}（${list.length} 户）`), h('ul', { class: 'staff-hhs' }, ...list.map(row)));
        d.addEventListener('toggle', () => openUnits.set(key, d.open));
        return d;
      }),
    );
  }

  // ── recording ──
  async function record(c: CachedCompound, x: Household | null, consent: Answer | null, outcome: Outcome, notes: string, photos: File[]) {
    const item: QueuedVisit = {
      compoundId: c.compound.id,
      compoundName: c.compound.name,
      householdLabel: x ? householdLabel(x) : '（宣传活动）',
      body: { householdId: x?.id ?? null, outcome, consent, notes },
      ifMatch: c.etag,
      madeAt: new Date().toISOString(),
      photos: photos.map((f) => ({ blob: f, name: f.name })),
      state: 'queued',
    };
    await outbox.add(item);
    await refreshQueue();
    render();
    if (online) void sync();
  }

  function openForm(c: CachedCompound, x: Household | null) {
    let answer: Answer = x ? 'agree' : 'undecided';
    const outcome = h('select', { 'data-testid': 'visit-outcome', id: 'visit-outcome' }, ...(x ? HOUSEHOLD_OUTCOMES : (['publicity'] as Outcome[])).map((o) => h('option', { value: o }, OUTCOME_LABEL[o])));
    const notes = h('textarea', { 'data-testid': 'visit-notes', id: 'visit-notes', rows: 3, maxlength: 2000, placeholder: '住户的顾虑、约定回访时间等' });
    const photo = h('input', { type: 'file', accept: 'image/*', capture: 'environment', multiple: true, 'data-testid': 'visit-photo', id: 'visit-photo' });
    const photoNote = h('p', { class: 'staff-muted', 'data-testid': 'visit-photo-note' }, `照片：JPEG/PNG/WebP，每张不超过 ${MAX_PHOTO_BYTES / 1024 / 1024} MB。`);
    const answers = h('div', { class: 'staff-answers big' }, ...ANSWERS.map((a) => h('button', { type: 'button', class: `staff-answer a-${a.code}`, 'data-testid': `visit-answer-${a.code}`, 'aria-pressed': String(a.code === answer) }, a.label)));
    answers.addEventListener('click', (e) => {
      const b = (e.target as HTMLElement).closest('button');
      if (!b) return;
      answer = ANSWERS.find((a) => `visit-answer-${a.code}` === b.dataset.testid)!.code;
      outcome.value = ANSWERS.find((a) => a.code === answer)!.outcome;
      for (const o of answers.querySelectorAll('button')) o.setAttribute('aria-pressed', String(o === b));
    });
    const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'visit-save' }, '保存');
    const cancel = h('button', { type: 'button', 'data-testid': 'visit-cancel' }, '取消');
    const form = h(
      'form',
      { class: 'staff-form', method: 'dialog' },
      h('h3', {}, x ? `走访 ${householdLabel(x)}` : `宣传活动：${c.compound.name}`),
      x ? answers : null,
      h('label', { for: 'visit-outcome' }, '结果'),
      outcome,
      h('label', { for: 'visit-notes' }, '备注'),
      notes,
      h('label', { for: 'visit-photo' }, '拍照'),
      photo,
      photoNote,
      h('div', { class: 'staff-row' }, save, cancel),
    );
    const dialog = h('dialog', { class: 'staff-dialog', 'data-testid': 'visit-form' }, form);
    document.body.append(dialog);
    const close = () => dialog.remove();
    cancel.addEventListener('click', close);
    photo.addEventListener('change', () => {
      const bad = [...(photo.files ?? [])].find((f) => !PHOTO_TYPES.includes(f.type) || f.size > MAX_PHOTO_BYTES);
      photoNote.dataset.state = bad ? 'error' : 'ok';
      photoNote.textContent = bad
        ? `“${bad.name}”不能上传：${bad.size > MAX_PHOTO_BYTES ? `超过 ${MAX_PHOTO_BYTES / 1024 / 1024} MB` : '只能上传 JPEG、PNG 或 WebP 图片'}。`
        : `已选 ${photo.files?.length ?? 0} 张照片。`;
      save.disabled = Boolean(bad);
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      close();
      void record(c, x, x ? answer : null, outcome.value as Outcome, notes.value.trim(), [...(photo.files ?? [])]);
    });
    dialog.showModal();
  }

  await renderAsync();
  page.dataset.ready = 'true';
  void sync();
  // Test and debugging hook.
  (window as unknown as { gridmapStaff?: unknown }).gridmapStaff = { sync, queue: () => queue, user: () => session.user };

  return () => {
    alive = false;
    clearInterval(timer);
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    document.querySelectorAll('dialog.staff-dialog').forEach((d) => d.remove());
  };
}

export const staff: View = { title: '网格员', mount };

// 待审核的现场记录 — the supervisor's review queue (users with network.review: planners, admins), in the crew view
// where the records arrive: each pipe record that would change the network (an offset, a missing valve, a wrong DN)
// with who filed it, where from, its note and photo, and the proposed line on the map. 批准 applies it to the network
// for everyone (in the review's transaction, on the server); 驳回 keeps the pipe and needs a reason. Both outcomes go
// into the pipe's history (GET /api/network/pipes/{id}/reports, the audit log).
import Feature from 'ol/Feature';
import LineString from 'ol/geom/LineString';
import Point from 'ol/geom/Point';
import { fromLonLat } from 'ol/proj';
import { buffer } from 'ol/extent';
import { call, client } from '../api/client';
import { humanMessage } from '../api/problem';
import { session } from '../api/session';
import { zh } from '../labels';
import { h } from '../ui/dom';
import type { CrewContext } from './context';
import { pipeKindLabel, pipeReportWhat, statusLabel, type PipeReport } from './pipeRecords';

export const REVIEW_PERMISSION = 'network.review';

export interface Reviews {
  /** The section (hidden for users without network.review, and offline). */
  el: HTMLElement;
  /** Loads the queue again. */
  refresh(): Promise<void>;
}

export function reviewQueue(ctx: CrewContext, onReviewed: (r: PipeReport) => void): Reviews {
  const list = h('ul', { class: 'crew-reviews-list', 'data-testid': 'crew-reviews-list' });
  const count = h('span', { class: 'crew-offline-summary', 'data-testid': 'crew-reviews-count' }, '');
  const el = h(
    'details',
    { class: 'crew-reviews', 'data-testid': 'crew-reviews', hidden: true },
    h('summary', {}, h('span', {}, '待审核的现场记录'), count),
    h('p', { class: 'muted' }, '批准后管网随即按记录修改，所有人的地图和关阀方案都会用新数据；驳回须写明理由。审核结果记入管段历史。'),
    list,
  ) as HTMLDetailsElement;

  const showOnMap = (r: PipeReport) => {
    const { overlay, map } = ctx;
    overlay.getFeatures().filter((f) => f.get('role') === 'proposed').forEach((f) => overlay.removeFeature(f));
    const feats: Feature[] = [];
    if (r.proposed?.length) feats.push(new Feature({ geometry: new LineString(r.proposed.map((c) => fromLonLat(c))), role: 'proposed' }));
    if (r.valve_lon != null && r.valve_lat != null) feats.push(new Feature({ geometry: new Point(fromLonLat([r.valve_lon, r.valve_lat])), role: 'proposed' }));
    if (r.lon != null && r.lat != null) feats.push(new Feature({ geometry: new Point(fromLonLat([r.lon, r.lat])), role: 'proposed' }));
    feats.forEach((f) => overlay.addFeature(f));
    if (feats.length) map.getView().fit(buffer(feats[0].getGeometry()!.getExtent(), 40), { maxZoom: 19, duration: 0 });
  };

  const item = (r: PipeReport): HTMLElement => {
    const reason = h('textarea', { rows: '2', maxlength: '2000', placeholder: '审核意见（驳回时必填）', 'data-testid': `crew-review-reason-${r.id}`, 'aria-label': '审核意见' });
    const msg = h('p', { class: 'crew-error', role: 'alert', hidden: true });
    reason.addEventListener('input', () => (msg.hidden = true));
    const li = h('li', { class: 'crew-review', 'data-testid': `crew-review-${r.id}`, 'data-report': r.id, 'data-pipe': r.pipe });
    const decide = async (outcome: 'accepted' | 'rejected', buttons: HTMLButtonElement[]) => {
      if (outcome === 'rejected' && !reason.value.trim()) {
        msg.hidden = false;
        msg.textContent = '驳回须写明理由，以便班组知道哪里不对。';
        reason.focus();
        return;
      }
      buttons.forEach((b) => (b.disabled = true));
      try {
        const done = await call('ReviewPipeReport', client.POST('/api/network/reviews/{report}', { params: { path: { report: r.id } }, body: { outcome, reason: reason.value.trim() } }));
        li.dataset.outcome = done.status;
        li.replaceChildren(
          h('p', { 'data-testid': `crew-review-outcome-${r.id}` }, `管段 #${r.pipe}「${pipeKindLabel(r.kind)}：${pipeReportWhat(r)}」`, h('b', {}, statusLabel(done.status)), done.review?.reason ? `：${done.review.reason}` : '', done.status === 'accepted' ? '（管网已修改）' : '（管段保持原样）'),
        );
        ctx.overlay.getFeatures().filter((f) => f.get('role') === 'proposed').forEach((f) => ctx.overlay.removeFeature(f));
        onReviewed(done);
        count.textContent = `${list.querySelectorAll('li.crew-review:not([data-outcome])').length} 条待审核`;
      } catch (e) {
        msg.hidden = false;
        msg.textContent = `审核未完成：${humanMessage(e)}`;
        buttons.forEach((b) => (b.disabled = false));
      }
    };
    const approve = h('button', { type: 'button', class: 'primary', 'data-testid': `crew-review-approve-${r.id}` }, '批准');
    const reject = h('button', { type: 'button', 'data-testid': `crew-review-reject-${r.id}` }, '驳回');
    approve.addEventListener('click', () => void decide('accepted', [approve, reject]));
    reject.addEventListener('click', () => void decide('rejected', [approve, reject]));
    li.append(
      h('p', {}, h('b', {}, `管段 #${r.pipe} · ${pipeKindLabel(r.kind)}`), `：${pipeReportWhat(r)}`),
      h(
        'small',
        { class: 'muted' },
        `${r.reported_by} · ${new Date(r.reported_at).toLocaleString('zh-CN')}`,
        r.accuracy_m != null ? ` · 定位精度 ${zh.num1(r.accuracy_m)} 米` : ' · 无定位',
        r.distance_m != null ? ` · 记录点距图上管线 ${zh.num1(r.distance_m)} 米` : '',
      ),
      r.note ? h('p', {}, `说明：${r.note}`) : '',
      r.photo_url ? h('img', { src: r.photo_url, alt: `管段 #${r.pipe} 现场照片`, class: 'crew-review-photo', loading: 'lazy', 'data-testid': `crew-review-photo-${r.id}` }) : h('small', { class: 'muted' }, '无照片'),
      h('div', { class: 'crew-buttons' }, h('button', { type: 'button', onclick: () => showOnMap(r) }, '在地图上看')),
      reason,
      msg,
      h('div', { class: 'crew-buttons' }, reject, approve),
    );
    return li;
  };

  const refresh = async () => {
    let me;
    try {
      me = await session.me();
    } catch {
      return;
    }
    if (!ctx.state.online || !me.permissions.includes(REVIEW_PERMISSION)) return;
    try {
      const pending = await call('PendingReviews', client.GET('/api/network/reviews'));
      el.hidden = false;
      el.dataset.pending = String(pending.length);
      count.textContent = pending.length ? `${pending.length} 条待审核` : '无待审核';
      list.replaceChildren(...(pending.length ? pending.map(item) : [h('li', { class: 'muted' }, '目前没有待审核的记录。')]));
    } catch (e) {
      el.hidden = false;
      list.replaceChildren(h('li', { class: 'crew-error' }, `审核列表加载失败：${humanMessage(e)}`));
    }
  };
  void refresh();
  return { el, refresh };
}
